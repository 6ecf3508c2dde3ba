import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { createAttemptLimiter } from "./attempt-limiter";

/**
 * The rule written the slow way, from each key's whole history: a key locks when its
 * `limit`-th attempt since it last unlocked (or was reset) falls within `windowMs` of
 * the first of those counted, and stays locked `lockMs`.
 */
function model(limit: number, windowMs: number, lockMs: number) {
  const state = new Map<string, { attempts: number[]; lockedUntil: number }>();
  const of = (key: string) => state.get(key) ?? { attempts: [], lockedUntil: 0 };
  return {
    lockedUntil(key: string, now: number) {
      const { lockedUntil } = of(key);
      return lockedUntil > now ? lockedUntil : undefined;
    },
    record(key: string, now: number) {
      const entry = of(key);
      if (entry.lockedUntil > now) return;
      const recent = [...entry.attempts.filter((at) => at > now - windowMs && at > entry.lockedUntil - 1), now];
      state.set(key, recent.length >= limit ? { attempts: [], lockedUntil: now + lockMs } : { attempts: recent, lockedUntil: entry.lockedUntil });
    },
    reset(key: string) {
      state.delete(key);
    },
  };
}

const operation = fc.record({
  key: fc.constantFrom("a", "b", "c"),
  advanceMs: fc.integer({ min: 0, max: 400 }),
  kind: fc.constantFrom("record", "record", "record", "check", "reset"),
});

describe("attempt limiter", () => {
  test("locks and unlocks exactly as the rule written from the whole history says", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.array(operation, { maxLength: 80 }),
        (limit, windowMs, lockMs, operations) => {
          const limiter = createAttemptLimiter({ limit, windowMs, lockMs, maxKeys: 100 });
          const expected = model(limit, windowMs, lockMs);
          let now = 1_000_000;
          for (const { key, advanceMs, kind } of operations) {
            now += advanceMs;
            if (kind === "record") {
              limiter.record(key, now);
              expected.record(key, now);
            } else if (kind === "reset") {
              limiter.reset(key);
              expected.reset(key);
            }
            for (const k of ["a", "b", "c"]) expect(limiter.lockedUntil(k, now)).toBe(expected.lockedUntil(k, now));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  test("memory stays bounded: never more than maxKeys keys, the longest untouched forgotten first", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 300 }), (maxKeys, keys) => {
        const limiter = createAttemptLimiter({ limit: 3, windowMs: 1_000_000, lockMs: 1_000_000, maxKeys });
        keys.forEach((key, at) => {
          limiter.record(`k${key}`, at);
          expect(limiter.size).toBeLessThanOrEqual(maxKeys);
        });
      }),
      { numRuns: 300 },
    );
    const limiter = createAttemptLimiter({ limit: 2, windowMs: 1000, lockMs: 1000, maxKeys: 2 });
    limiter.record("locked", 0);
    limiter.record("locked", 1); // locked until 1001
    limiter.record("other", 2);
    limiter.record("third", 3); // "locked" was updated longest ago: forgotten
    expect(limiter.lockedUntil("locked", 4)).toBeUndefined();
    expect(limiter.size).toBe(2);
  });

  test("an attempt while locked does not extend the lock", () => {
    const limiter = createAttemptLimiter({ limit: 2, windowMs: 100, lockMs: 500, maxKeys: 10 });
    limiter.record("k", 0);
    limiter.record("k", 10);
    expect(limiter.lockedUntil("k", 10)).toBe(510);
    limiter.record("k", 400);
    expect(limiter.lockedUntil("k", 509)).toBe(510);
    expect(limiter.lockedUntil("k", 510)).toBeUndefined();
  });
});
