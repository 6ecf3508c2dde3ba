import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { ownerOnlyDir } from "./owner-only-dir";
import {
  checkSessionKeys,
  liveSessionKeys,
  parseSessionKeyList,
  rotateSessionKeys,
  sessionKeyFromSecret,
  SESSION_KEY_RETENTION_MS,
  type SessionKey,
  type StoredSessionKey,
} from "@vectron/auth";
import { writeFileAtomically } from "@vectron/durable-file";

/*
 * Secrets kept in `<dataDir>/secrets` (mode 0700), one file each (mode 0600), for a node
 * not given them in its configuration. There is no built-in default secret.
 */

const MIN_SECRET_LENGTH = 32;
/** The session signing keys of a node without VECTRON_JWT_SECRET or VECTRON_JWT_KEYS. */
export const SESSION_KEYS_FILE = "jwt-keys";
/** Where a single session secret was kept before key rings; taken into the ring on first start. */
const LEGACY_SESSION_SECRET_FILE = "jwt-secret";

/** `<dataDir>/secrets`, created, or narrowed to owner-only access if it was wider. */
export function secretsDir(dataDir: string): string {
  return ownerOnlyDir(join(dataDir, "secrets"));
}

function writeSecretFile(path: string, text: string): void {
  writeFileAtomically(path, text, 0o600);
  chmodSync(path, 0o600); // also when a leftover temporary file had another mode
}

/**
 * A secret from configuration, else the one kept in `<dataDir>/secrets/<name>`, else a
 * new random one (32 bytes, hex) written there.
 */
export function loadOrCreateSecret(dataDir: string, name: string, configured: string | undefined): string {
  if (configured !== undefined) {
    if (configured.length < MIN_SECRET_LENGTH) throw new Error(`${name}: a configured secret must be at least ${MIN_SECRET_LENGTH} characters`);
    return configured;
  }
  const path = join(secretsDir(dataDir), name);
  if (existsSync(path)) {
    chmodSync(path, 0o600);
    const kept = readFileSync(path, "utf8").trim();
    if (kept.length < MIN_SECRET_LENGTH) throw new Error(`${path} is damaged (shorter than ${MIN_SECRET_LENGTH} characters); remove it to generate a new ${name}`);
    return kept;
  }
  const secret = randomBytes(32).toString("hex");
  writeSecretFile(path, `${secret}\n`);
  return secret;
}

/**
 * The session signing keys: VECTRON_JWT_KEYS (`kid:secret,...`, the first signs), else
 * VECTRON_JWT_SECRET (one key, kid derived from its hash), else the keys kept in
 * `<dataDir>/secrets/jwt-keys` — created on first start, changed by `vectron auth
 * rotate-jwt-key`, and re-read by a running node within a second of a change.
 */
export function sessionKeysFor(
  dataDir: string,
  configured: { jwtKeys?: string; jwtSecret?: string },
): readonly SessionKey[] | (() => readonly SessionKey[]) {
  if (configured.jwtKeys !== undefined) return parseSessionKeyList(configured.jwtKeys);
  if (configured.jwtSecret !== undefined) {
    const secret = loadOrCreateSecret(dataDir, "VECTRON_JWT_SECRET", configured.jwtSecret);
    return [sessionKeyFromSecret(new TextEncoder().encode(secret))];
  }
  loadOrCreateSessionKeys(dataDir, Date.now());
  return watchSessionKeys(dataDir);
}

/** As kept in the file: the secret as text (its UTF-8 bytes are the HMAC key), newest key first. */
interface SessionKeysFile {
  version: 1;
  keys: Array<{ kid: string; secret: string; createdAt: string }>;
}

type KeptKey = StoredSessionKey & { text: string };

function readSessionKeysFile(path: string): KeptKey[] {
  const file = JSON.parse(readFileSync(path, "utf8")) as SessionKeysFile;
  if (file?.version !== 1 || !Array.isArray(file.keys) || file.keys.length === 0) throw new Error(`${path} is damaged: no keys`);
  const encoder = new TextEncoder();
  const keys = file.keys.map(({ kid, secret, createdAt }) => ({ kid, text: secret, secret: encoder.encode(String(secret)), createdAtMs: Date.parse(createdAt) }));
  try {
    checkSessionKeys(keys);
  } catch (err) {
    throw new Error(`${path} is damaged: ${(err as Error).message}`);
  }
  if (keys.some((key) => Number.isNaN(key.createdAtMs))) throw new Error(`${path} is damaged: a key without a valid createdAt`);
  return keys;
}

function writeSessionKeysFile(dataDir: string, keys: readonly KeptKey[]): void {
  const file: SessionKeysFile = {
    version: 1,
    keys: keys.map((key) => ({ kid: key.kid, secret: key.text, createdAt: new Date(key.createdAtMs).toISOString() })),
  };
  writeSecretFile(join(secretsDir(dataDir), SESSION_KEYS_FILE), `${JSON.stringify(file, null, 2)}\n`);
}

function newSessionKey(createdAtMs: number): KeptKey {
  const text = randomBytes(32).toString("hex");
  return { kid: `k-${randomBytes(6).toString("hex")}`, text, secret: new TextEncoder().encode(text), createdAtMs };
}

/**
 * The kept session keys, newest first, creating the file on first use: from the single
 * secret an older version kept (so its sessions stay valid), else with a new key.
 */
export function loadOrCreateSessionKeys(dataDir: string, nowMs: number): StoredSessionKey[] {
  const dir = secretsDir(dataDir);
  const path = join(dir, SESSION_KEYS_FILE);
  if (existsSync(path)) {
    chmodSync(path, 0o600);
    return readSessionKeysFile(path);
  }
  const legacyPath = join(dir, LEGACY_SESSION_SECRET_FILE);
  let key: KeptKey;
  if (existsSync(legacyPath)) {
    const text = loadOrCreateSecret(dataDir, LEGACY_SESSION_SECRET_FILE, undefined);
    key = { ...sessionKeyFromSecret(new TextEncoder().encode(text)), text, createdAtMs: nowMs };
  } else {
    key = newSessionKey(nowMs);
  }
  writeSessionKeysFile(dataDir, [key]);
  rmSync(legacyPath, { force: true });
  return [key];
}

/** What a rotation did, by kid. */
export interface SessionKeyRotation {
  added: string;
  kept: string[];
  dropped: string[];
}

/**
 * Adds a new signing key to `<dataDir>/secrets/jwt-keys`. The previous key keeps
 * verifying the tokens it signed until they expire (SESSION_KEY_RETENTION_MS); keys
 * retired longer ago are dropped. `dropPrevious` drops every other key at once, which
 * logs everyone out: for a key that leaked.
 */
export function rotateSessionKeyFile(dataDir: string, nowMs: number, options: { dropPrevious?: boolean } = {}): SessionKeyRotation {
  const before = loadOrCreateSessionKeys(dataDir, nowMs) as KeptKey[];
  // Made strictly after every kept key, even if this machine's clock stepped back.
  const fresh = newSessionKey(Math.max(nowMs, ...before.map((key) => key.createdAtMs + 1)));
  const after = options.dropPrevious ? [fresh] : rotateSessionKeys(before, fresh, SESSION_KEY_RETENTION_MS);
  writeSessionKeysFile(dataDir, after);
  const kept = new Set(after.map((key) => key.kid));
  return {
    added: fresh.kid,
    kept: before.filter((key) => kept.has(key.kid)).map((key) => key.kid),
    dropped: before.filter((key) => !kept.has(key.kid)).map((key) => key.kid),
  };
}

/**
 * The live keys of `<dataDir>/secrets/jwt-keys` as of each call: the file is checked for
 * changes at most every `checkEveryMs`, and keys retired longer than the retention
 * ago are left out even before the next rotation removes them. The same array is
 * returned until the live keys change. If the file becomes unreadable, the last keys
 * read stay in use, and the error is reported once until the file reads again.
 */
export function watchSessionKeys(
  dataDir: string,
  options: { now?: () => number; checkEveryMs?: number; onError?: (err: unknown) => void } = {},
): () => readonly SessionKey[] {
  const { now = Date.now, checkEveryMs = 1000, onError = (err) => console.error("[vectron] session keys:", err) } = options;
  const path = join(dataDir, "secrets", SESSION_KEYS_FILE);
  let stored: StoredSessionKey[] = readSessionKeysFile(path);
  let mtimeMs = statSync(path).mtimeMs;
  let live: StoredSessionKey[] = liveSessionKeys(stored, now(), SESSION_KEY_RETENTION_MS);
  let checkedAtMs = now();
  let failing = false;
  return () => {
    const nowMs = now();
    if (nowMs - checkedAtMs < checkEveryMs) return live;
    checkedAtMs = nowMs;
    try {
      const changedAt = statSync(path).mtimeMs;
      if (changedAt !== mtimeMs) {
        mtimeMs = changedAt;
        stored = readSessionKeysFile(path);
      }
      failing = false;
    } catch (err) {
      if (!failing) onError(err);
      failing = true;
      mtimeMs = Number.NaN; // read again once the file is back
    }
    const next = liveSessionKeys(stored, nowMs, SESSION_KEY_RETENTION_MS);
    if (next.map((key) => key.kid).join() !== live.map((key) => key.kid).join()) live = next;
    return live;
  };
}

/**
 * This node's id (its worker id, and its placement process id), kept in the data dir so
 * a restarted node is the same node; a wiped data directory makes a new node.
 */
export function loadOrCreateNodeId(dataDir: string): string {
  const path = join(dataDir, "worker-id");
  if (existsSync(path)) return readFileSync(path, "utf8").trim();
  const id = `node-${randomBytes(6).toString("hex")}`;
  writeFileAtomically(path, `${id}\n`);
  return id;
}
