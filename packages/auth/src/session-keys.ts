import { createHash } from "node:crypto";

/** One HMAC key for session JWTs, named by the `kid` that tokens it signed carry. */
export interface SessionKey {
  /** 1 to 64 of `A-Z a-z 0-9 . _ -`; unique within a ring. */
  kid: string;
  /** At least 32 bytes. */
  secret: Uint8Array;
}

/** The keys sessions are checked against; `signing` (the newest) signs new tokens. */
export interface SessionKeyRing {
  signing: SessionKey;
  byKid: ReadonlyMap<string, SessionKey>;
}

export const MIN_SESSION_SECRET_BYTES = 32;
const KID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The key of a single configured secret (VECTRON_JWT_SECRET, or a secret file from
 * before key rings). Its kid is derived from a hash of the secret, so every node given
 * the same secret names it the same way without any other configuration.
 */
export function sessionKeyFromSecret(secret: Uint8Array): SessionKey {
  const digest = createHash("sha256").update("vectron session key id\0").update(secret).digest();
  return { kid: `h-${digest.subarray(0, 9).toString("base64url")}`, secret };
}

/**
 * Parses `kid1:secret1,kid2:secret2` (VECTRON_JWT_KEYS): the first key signs, the others
 * only verify. A secret is taken as UTF-8 text up to the next comma, so it may hold
 * colons but not commas (hex or base64url secrets are fine).
 */
export function parseSessionKeyList(text: string): SessionKey[] {
  const encoder = new TextEncoder();
  const keys = text
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item, index) => {
      const colon = item.indexOf(":");
      if (colon <= 0) throw new TypeError(`session keys: item ${index + 1} has no kid; expected kid:secret,kid:secret`);
      return { kid: item.slice(0, colon), secret: encoder.encode(item.slice(colon + 1)) };
    });
  checkSessionKeys(keys);
  return keys;
}

/** Throws a TypeError naming what is wrong with a list of keys; the message never holds a secret. */
export function checkSessionKeys(keys: readonly SessionKey[]): void {
  if (!Array.isArray(keys) || keys.length === 0) throw new TypeError("session keys: give at least one { kid, secret }");
  const seen = new Set<string>();
  for (const key of keys) {
    if (typeof key?.kid !== "string" || !KID_PATTERN.test(key.kid)) {
      throw new TypeError(`session keys: kid ${JSON.stringify(key?.kid)} must be 1 to 64 of A-Z a-z 0-9 . _ -`);
    }
    if (seen.has(key.kid)) throw new TypeError(`session keys: kid ${key.kid} appears twice`);
    seen.add(key.kid);
    if (!(key.secret instanceof Uint8Array) || key.secret.length < MIN_SESSION_SECRET_BYTES) {
      throw new TypeError(
        `session keys: the secret of kid ${key.kid} must be a Uint8Array of at least ${MIN_SESSION_SECRET_BYTES} random bytes, e.g. crypto.getRandomValues(new Uint8Array(32))`,
      );
    }
  }
}

/** A ring over checked keys, newest first. */
export function sessionKeyRing(keys: readonly SessionKey[]): SessionKeyRing {
  checkSessionKeys(keys);
  return { signing: keys[0]!, byKid: new Map(keys.map((key) => [key.kid, key])) };
}

/**
 * The current ring from a fixed list or from a function that may return a new list
 * (keys re-read from a file after a rotation). A ring is rebuilt, and checked, only when
 * the function returns a different array.
 */
export function sessionKeySource(keys: readonly SessionKey[] | (() => readonly SessionKey[])): () => SessionKeyRing {
  if (typeof keys !== "function") {
    const ring = sessionKeyRing(keys);
    return () => ring;
  }
  let last = keys();
  let ring = sessionKeyRing(last);
  return () => {
    const current = keys();
    if (current !== last) {
      ring = sessionKeyRing(current);
      last = current;
    }
    return ring;
  };
}
