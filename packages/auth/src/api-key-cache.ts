import { timingSafeEqual } from "node:crypto";
import type { KeyGrant } from "./key-grant";

/**
 * Positive `verifyApiKey` results (the key's grant) of this process, so that a busy key costs no query
 * per request. An entry matches only the same key id AND digest, lives `ttlMs` (which
 * bounds how long a key revoked by another process keeps working here) and is evicted
 * at once by a revocation in this process. An expired entry is kept `staleMs` longer for
 * `getStale`: while the database cannot be reached, a key verified recently keeps working.
 */
export interface ApiKeyCache {
  get(keyId: string, digest: Uint8Array, nowMs: number): KeyGrant | undefined;
  /** Like get, but also an entry expired less than `staleMs` ago: only for when the database is down. */
  getStale(keyId: string, digest: Uint8Array, nowMs: number): KeyGrant | undefined;
  set(keyId: string, digest: Uint8Array, grant: KeyGrant, nowMs: number): void;
  evict(keyId: string): void;
}

interface Entry {
  digest: Uint8Array;
  grant: KeyGrant;
  expiresAtMs: number;
}

/** `ttlMs` 0 disables caching. Beyond `maxEntries` the oldest entry goes first. */
export function createApiKeyCache(options: { ttlMs: number; staleMs?: number; maxEntries?: number }): ApiKeyCache {
  const { ttlMs, staleMs = 0, maxEntries = 10_000 } = options;
  const entries = new Map<string, Entry>();
  const lookup = (keyId: string, digest: Uint8Array, nowMs: number, graceMs: number) => {
    const entry = entries.get(keyId);
    if (!entry) return undefined;
    if (entry.expiresAtMs + graceMs <= nowMs) {
      if (entry.expiresAtMs + staleMs <= nowMs) entries.delete(keyId);
      return undefined;
    }
    return digestsEqual(entry.digest, digest) ? entry.grant : undefined;
  };
  return {
    get: (keyId, digest, nowMs) => lookup(keyId, digest, nowMs, 0),
    getStale: (keyId, digest, nowMs) => lookup(keyId, digest, nowMs, staleMs),
    set(keyId, digest, grant, nowMs) {
      if (ttlMs <= 0) return;
      entries.delete(keyId); // re-insert at the end: Map order is the eviction order
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(keyId, { digest, grant, expiresAtMs: nowMs + ttlMs });
    },
    evict(keyId) {
      entries.delete(keyId);
    },
  };
}

/** Constant-time comparison of two SHA-256 digests. */
export function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
