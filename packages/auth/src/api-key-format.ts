import { createHash, getRandomValues } from "node:crypto";
import { crc32 } from "node:zlib";

/*
 * API key format (65 characters):
 *
 *     vk_<id>_<secret><check>
 *
 *   vk_     fixed prefix, so people and secret scanners recognise a Vectron key
 *   id      12 base62 characters, random (~71 bits): the public key id, the primary
 *           key of api_keys, and what a user passes to DeleteAPIKey
 *   secret  43 base62 characters, random (~256 bits, as many as 32 random bytes)
 *   check   6 base62 characters: CRC-32 of everything before it, big-endian, zero-padded
 *
 * CRC-32 detects every single-character substitution and every swap of two adjacent
 * characters (bursts under 32 bits), so a mistyped key is refused without a database
 * lookup; api-key-format.test.ts pins this. Base62 keeps the key one word for
 * double-click selection. Only SHA-256 of the whole key is stored (api_keys.digest).
 */

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const PREFIX = "vk_";
const ID_LENGTH = 12;
const SECRET_LENGTH = 43;
const CHECK_LENGTH = 6;
const KEY_PATTERN = new RegExp(
  `^${PREFIX}([0-9A-Za-z]{${ID_LENGTH}})_[0-9A-Za-z]{${SECRET_LENGTH}}([0-9A-Za-z]{${CHECK_LENGTH}})$`,
);
/** How many characters of a key are shown to recognise it: "vk_" and 7 of the id. */
const DISPLAY_PREFIX_LENGTH = 10;

export const API_KEY_LENGTH = PREFIX.length + ID_LENGTH + 1 + SECRET_LENGTH + CHECK_LENGTH;

export interface NewApiKey {
  /** The full key, shown to its owner once. */
  key: string;
  id: string;
  /** SHA-256 of `key`. */
  digest: Uint8Array;
  /** The start of the key, safe to show in listings. */
  prefix: string;
}

/** A fresh random key with its id, digest and display prefix. */
export function generateApiKey(): NewApiKey {
  const id = randomBase62(ID_LENGTH);
  const key = composeApiKey(id, randomBase62(SECRET_LENGTH));
  return { key, id, digest: apiKeyDigest(key), prefix: key.slice(0, DISPLAY_PREFIX_LENGTH) };
}

/** The key for an id and a secret, with its check characters (no validation of either). */
export function composeApiKey(id: string, secret: string): string {
  const body = `${PREFIX}${id}_${secret}`;
  return body + checkOf(body);
}

/**
 * The key id of a well-formed key whose check characters match, else undefined.
 * Pure and cheap: call it before touching the database.
 */
export function parseApiKey(key: string): { id: string } | undefined {
  const match = KEY_PATTERN.exec(key);
  if (!match) return undefined;
  const body = key.slice(0, -CHECK_LENGTH);
  return checkOf(body) === match[2] ? { id: match[1]! } : undefined;
}

/** Whether a bearer token is meant as an API key (as opposed to a session JWT). */
export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(PREFIX);
}

/** Whether a string has the shape of a key id (the only ids api_keys can hold). */
export function isApiKeyId(id: string): boolean {
  return id.length === ID_LENGTH && /^[0-9A-Za-z]+$/.test(id);
}

/** SHA-256 of the whole key, as stored in api_keys.digest. */
export function apiKeyDigest(key: string): Uint8Array {
  return new Uint8Array(createHash("sha256").update(key, "utf8").digest());
}

function checkOf(body: string): string {
  let value = crc32(body);
  let out = "";
  for (let i = 0; i < CHECK_LENGTH; i++) {
    out = ALPHABET[value % 62]! + out;
    value = Math.floor(value / 62);
  }
  return out; // 62^6 > 2^32, so every CRC fits
}

/** Uniform random base62 characters by rejection sampling: bytes >= 248 (= 4 * 62) are dropped. */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of getRandomValues(new Uint8Array(length * 2))) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}
