import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { TokenBucket } from "./token-bucket";

const rate = fc.integer({ min: 1, max: 5_000 });
const burst = fc.integer({ min: 1, max: 200 });
/** Calls arriving after gaps of 0 to 50 ms (often several at the same millisecond). */
const arrivals = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50 })), { minLength: 1, maxLength: 300 });

/** Runs the arrivals against a fresh bucket; returns each call's time and whether it was admitted. */
function run(r: number, b: number, gaps: number[], startMs = 1_000) {
  const bucket = new TokenBucket(b, startMs);
  let now = startMs;
  return gaps.map((gap) => {
    now += gap;
    return { at: now, ...bucket.take(r, b, now) };
  });
}

describe("token bucket", () => {
  test("over any window it admits at most burst + rate × elapsed", () => {
    fc.assert(
      fc.property(rate, burst, arrivals, (r, b, gaps) => {
        const admitted = run(r, b, gaps).filter((call) => call.admitted).map((call) => call.at);
        for (let i = 0; i < admitted.length; i++) {
          for (let j = i; j < admitted.length; j++) {
            const elapsedMs = admitted[j]! - admitted[i]!;
            expect(j - i + 1).toBeLessThanOrEqual(b + (r * elapsedMs) / 1000);
          }
        }
      }),
    );
  });

  test("a full bucket admits exactly burst calls at once, and a call per 1/rate after", () => {
    fc.assert(
      fc.property(rate, burst, (r, b) => {
        const bucket = new TokenBucket(b, 0);
        for (let i = 0; i < b; i++) expect(bucket.take(r, b, 0).admitted).toBe(true);
        expect(bucket.take(r, b, 0).admitted).toBe(false);
        const oneToken = Math.ceil(1000 / r);
        expect(bucket.take(r, b, oneToken).admitted).toBe(true);
      }),
    );
  });

  test("whatever happened before, an idle bucket refills to burst and no further", () => {
    fc.assert(
      fc.property(rate, burst, arrivals, fc.integer({ min: 0, max: 100_000 }), (r, b, gaps, extraIdleMs) => {
        const bucket = new TokenBucket(b, 0);
        let now = 0;
        for (const gap of gaps) bucket.take(r, b, (now += gap));
        now += Math.ceil((b * 1000) / r) + extraIdleMs;
        expect(bucket.isFullAt(r, b, now)).toBe(true);
        for (let i = 0; i < b; i++) expect(bucket.take(r, b, now).admitted).toBe(true);
        expect(bucket.take(r, b, now).admitted).toBe(false);
      }),
    );
  });

  test("the retry hint is exact: one millisecond earlier is refused, at the hint it is admitted", () => {
    fc.assert(
      fc.property(rate, burst, arrivals, (r, b, gaps) => {
        const calls = run(r, b, gaps);
        const refused = calls.findLast((call) => !call.admitted);
        fc.pre(refused !== undefined && refused === calls.at(-1));
        if (refused!.admitted) return;
        const { retryAfterMs } = refused!;
        expect(retryAfterMs).toBeGreaterThanOrEqual(1);
        expect(retryAfterMs).toBeLessThanOrEqual(Math.ceil(1000 / r));
        // Two copies of the same history, asked at different times.
        const replay = () => {
          const bucket = new TokenBucket(b, 1_000);
          for (const call of calls) bucket.take(r, b, call.at);
          return bucket;
        };
        expect(replay().take(r, b, refused!.at + retryAfterMs - 1).admitted).toBe(false);
        expect(replay().take(r, b, refused!.at + retryAfterMs).admitted).toBe(true);
      }),
    );
  });

  test("a clock going back refills nothing", () => {
    const bucket = new TokenBucket(1, 10_000);
    expect(bucket.take(10, 1, 10_000).admitted).toBe(true);
    expect(bucket.take(10, 1, 5_000)).toEqual({ admitted: false, retryAfterMs: 100 });
    expect(bucket.take(10, 1, 10_099).admitted).toBe(false);
    expect(bucket.take(10, 1, 10_100).admitted).toBe(true);
  });

  test("a smaller burst (a plan change) caps the tokens at once", () => {
    const bucket = new TokenBucket(100, 0);
    expect(bucket.take(1, 2, 0).admitted).toBe(true);
    expect(bucket.take(1, 2, 0).admitted).toBe(true);
    expect(bucket.take(1, 2, 0).admitted).toBe(false);
  });
});
