import { timingSafeEqual } from "node:crypto";

/**
 * Positive `verifyApiKey` results of this process, so that a busy key costs no query
 * per request. An entry matches only the same key id AND digest, lives `ttlMs` (which
 * bounds how long a key revoked by another process keeps working here) and is evicted
 * at once by a revocation in this process.
 */
export interface ApiKeyCache {
  get(keyId: string, digest: Uint8Array, nowMs: number): { userId: string } | undefined;
  set(keyId: string, digest: Uint8Array, userId: string, nowMs: number): void;
  evict(keyId: string): void;
}

interface Entry {
  digest: Uint8Array;
  userId: string;
  expiresAtMs: number;
}

/** `ttlMs` 0 disables caching. Beyond `maxEntries` the oldest entry goes first. */
export function createApiKeyCache(options: { ttlMs: number; maxEntries?: number }): ApiKeyCache {
  const { ttlMs, maxEntries = 10_000 } = options;
  const entries = new Map<string, Entry>();
  return {
    get(keyId, digest, nowMs) {
      const entry = entries.get(keyId);
      if (!entry) return undefined;
      if (entry.expiresAtMs <= nowMs) {
        entries.delete(keyId);
        return undefined;
      }
      return digestsEqual(entry.digest, digest) ? { userId: entry.userId } : undefined;
    },
    set(keyId, digest, userId, nowMs) {
      if (ttlMs <= 0) return;
      entries.delete(keyId); // re-insert at the end: Map order is the eviction order
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(keyId, { digest, userId, expiresAtMs: nowMs + ttlMs });
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
