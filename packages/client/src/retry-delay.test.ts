import { describe, expect, test } from "bun:test";
import { retryAfterMs, retryDelayMs } from "./retry-delay";
import { InvalidArgumentError, ResourceExhaustedError, UnavailableError } from "./vectron-client-error";

const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 300, retryAfterHint: true };
const unavailable = new UnavailableError({ code: "unavailable", serverMessage: "down", rpc: "Search" });

describe("retryDelayMs", () => {
  test("unavailable: doubling backoff with equal jitter, capped, and no retry after the last attempt", () => {
    for (let i = 0; i < 200; i++) {
      const first = retryDelayMs(unavailable, 1, policy)!;
      expect(first).toBeGreaterThanOrEqual(50);
      expect(first).toBeLessThanOrEqual(100);
      const second = retryDelayMs(unavailable, 2, policy)!;
      expect(second).toBeGreaterThanOrEqual(100);
      expect(second).toBeLessThanOrEqual(200);
      const third = retryDelayMs(unavailable, 3, policy)!;
      expect(third).toBeGreaterThanOrEqual(150);
      expect(third).toBeLessThanOrEqual(300);
    }
    expect(retryDelayMs(unavailable, 4, policy)).toBeUndefined();
  });

  test("resource_exhausted only with a hint (retry-after-ms first), and only when allowed", () => {
    const exhausted = (headers: Record<string, string>) =>
      new ResourceExhaustedError({ code: "resource_exhausted", serverMessage: "x", rpc: "Upsert", metadata: new Headers(headers) });
    expect(retryDelayMs(exhausted({}), 1, policy)).toBeUndefined();
    expect(retryDelayMs(exhausted({ "retry-after-ms": "1234", "retry-after": "2" }), 1, policy)).toBe(1234);
    expect(retryDelayMs(exhausted({ "retry-after": "2" }), 1, policy)).toBe(2000);
    expect(retryDelayMs(exhausted({ "retry-after": "2" }), 1, { ...policy, retryAfterHint: false })).toBeUndefined();
  });

  test("other codes are never retried", () => {
    expect(retryDelayMs(new InvalidArgumentError({ code: "invalid_argument", serverMessage: "x", rpc: "Search" }), 1, policy)).toBeUndefined();
  });
});

describe("retryAfterMs", () => {
  test("delta-seconds, HTTP dates, and nonsense", () => {
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs(" 3 ")).toBe(3000);
    const now = Date.parse("Sat, 21 Nov 2026 12:00:00 GMT");
    expect(retryAfterMs("Sat, 21 Nov 2026 12:00:05 GMT", now)).toBe(5000);
    expect(retryAfterMs("Sat, 21 Nov 2026 11:00:00 GMT", now)).toBe(0);
    expect(retryAfterMs("soon")).toBeUndefined();
  });
});
