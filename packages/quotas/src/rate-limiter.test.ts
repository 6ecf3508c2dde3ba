import { expect, test } from "bun:test";
import { RateLimiter } from "./rate-limiter";

const limits = { requestsPerSecond: 10, burst: 3 };

test("each caller has its own bucket, and a refused call names how long to wait", () => {
  let now = 0;
  const limiter = new RateLimiter({ now: () => now });
  for (let i = 0; i < 3; i++) expect(limiter.admit("key:a", limits).admitted).toBe(true);
  expect(limiter.admit("key:a", limits)).toEqual({ admitted: false, retryAfterMs: 100 });
  // Another key of the same user, and the user's sessions, are other buckets.
  expect(limiter.admit("key:b", limits).admitted).toBe(true);
  expect(limiter.admit("user:u", limits).admitted).toBe(true);
  now = 100;
  expect(limiter.admit("key:a", limits).admitted).toBe(true);
  expect(limiter.admit("key:a", limits).admitted).toBe(false);
});

test("a higher plan's rate applies from the next call", () => {
  let now = 0;
  const limiter = new RateLimiter({ now: () => now });
  for (let i = 0; i < 3; i++) limiter.admit("key:a", limits);
  expect(limiter.admit("key:a", limits).admitted).toBe(false);
  now = 10;
  // 10 ms at 1000/s is 10 tokens, capped by the new burst of 5.
  const paid = { requestsPerSecond: 1000, burst: 5 };
  for (let i = 0; i < 5; i++) expect(limiter.admit("key:a", paid).admitted).toBe(true);
  expect(limiter.admit("key:a", paid).admitted).toBe(false);
});

test("the least recently used bucket is forgotten beyond maxBuckets", () => {
  const now = 0;
  const limiter = new RateLimiter({ maxBuckets: 2, now: () => now });
  for (let i = 0; i < 3; i++) limiter.admit("key:a", limits);
  limiter.admit("key:b", limits);
  limiter.admit("key:a", limits); // refused, but a is now the most recent
  limiter.admit("key:c", limits); // evicts b, not a
  expect(limiter.size).toBe(2);
  expect(limiter.admit("key:a", limits).admitted).toBe(false);
  expect(() => new RateLimiter({ maxBuckets: 0 })).toThrow(/maxBuckets/);
});
