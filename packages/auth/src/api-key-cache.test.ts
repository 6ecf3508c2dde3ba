import { describe, expect, test } from "bun:test";
import { createApiKeyCache } from "./api-key-cache";
import type { KeyGrant } from "./key-grant";

const digest = (fill: number) => new Uint8Array(32).fill(fill);
const grant = (userId: string): KeyGrant => ({ userId, keyId: `key-of-${userId}`, readOnly: false, plan: "free" });

describe("API key cache", () => {
  test("answers for the same id and digest until the entry expires", () => {
    const cache = createApiKeyCache({ ttlMs: 5000 });
    cache.set("id1", digest(1), grant("user1"), 1000);
    expect(cache.get("id1", digest(1), 1000)).toEqual(grant("user1"));
    expect(cache.get("id1", digest(1), 5999)).toEqual(grant("user1"));
    expect(cache.get("id1", digest(1), 6000)).toBeUndefined();
    expect(cache.get("id1", digest(1), 1000)).toBeUndefined(); // expired entries are dropped
  });

  test("a different digest under a cached id does not match", () => {
    const cache = createApiKeyCache({ ttlMs: 5000 });
    cache.set("id1", digest(1), grant("user1"), 0);
    expect(cache.get("id1", digest(2), 0)).toBeUndefined();
    expect(cache.get("id1", new Uint8Array(31).fill(1), 0)).toBeUndefined();
  });

  test("evict removes an entry at once", () => {
    const cache = createApiKeyCache({ ttlMs: 5000 });
    cache.set("id1", digest(1), grant("user1"), 0);
    cache.evict("id1");
    expect(cache.get("id1", digest(1), 0)).toBeUndefined();
  });

  test("holds at most maxEntries, dropping the oldest", () => {
    const cache = createApiKeyCache({ ttlMs: 5000, maxEntries: 2 });
    cache.set("a", digest(1), grant("u"), 0);
    cache.set("b", digest(1), grant("u"), 0);
    cache.set("c", digest(1), grant("u"), 0);
    expect(cache.get("a", digest(1), 0)).toBeUndefined();
    expect(cache.get("b", digest(1), 0)).toBeDefined();
    expect(cache.get("c", digest(1), 0)).toBeDefined();
  });

  test("a TTL of 0 caches nothing", () => {
    const cache = createApiKeyCache({ ttlMs: 0 });
    cache.set("id1", digest(1), grant("user1"), 0);
    expect(cache.get("id1", digest(1), 0)).toBeUndefined();
  });

  test("getStale answers for staleMs past expiry (database down), get does not", () => {
    const cache = createApiKeyCache({ ttlMs: 5000, staleMs: 60_000 });
    cache.set("id1", digest(1), grant("user1"), 0);
    expect(cache.get("id1", digest(1), 10_000)).toBeUndefined();
    expect(cache.getStale("id1", digest(1), 10_000)).toEqual(grant("user1"));
    expect(cache.getStale("id1", digest(2), 10_000)).toBeUndefined();
    expect(cache.getStale("id1", digest(1), 65_000)).toBeUndefined();
    // Gone for good once past the stale window.
    expect(cache.getStale("id1", digest(1), 10_000)).toBeUndefined();
  });
});
