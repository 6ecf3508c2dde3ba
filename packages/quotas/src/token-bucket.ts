/** What TokenBucket.take answers: admitted, or how long until one token is there. */
export type TakeResult = { admitted: true } | { admitted: false; retryAfterMs: number };

/** Integer milli-tokens, so that refills never drift by rounding: one call costs 1000. */
const CALL = 1000;

/**
 * A token bucket holding up to `burst` tokens, refilled at `ratePerSecond`; each admitted
 * call takes one. Over any window of `t` ms it admits at most burst + rate × t / 1000
 * calls (token-bucket.test.ts checks this for arbitrary arrivals). Starts full. Time is
 * whole milliseconds from a monotonic clock; a clock that goes back adds nothing.
 */
export class TokenBucket {
  private milliTokens: number;
  private lastMs: number;

  constructor(burst: number, nowMs: number) {
    this.milliTokens = burst * CALL;
    this.lastMs = Math.floor(nowMs);
  }

  /**
   * Refills for the time since the last call, then takes a token if there is one. The
   * rate and burst are passed each time, so a plan change applies from the next call.
   */
  take(ratePerSecond: number, burst: number, nowMs: number): TakeResult {
    const now = Math.floor(nowMs);
    const capacity = burst * CALL;
    // ratePerSecond tokens per second is ratePerSecond milli-tokens per millisecond.
    if (now > this.lastMs) this.milliTokens = Math.min(capacity, this.milliTokens + (now - this.lastMs) * ratePerSecond);
    else this.milliTokens = Math.min(capacity, this.milliTokens);
    this.lastMs = Math.max(this.lastMs, now);
    if (this.milliTokens >= CALL) {
      this.milliTokens -= CALL;
      return { admitted: true };
    }
    return { admitted: false, retryAfterMs: Math.ceil((CALL - this.milliTokens) / ratePerSecond) };
  }

  /** True once the bucket would be full at `nowMs`: it is then the same as a new one and may be forgotten. */
  isFullAt(ratePerSecond: number, burst: number, nowMs: number): boolean {
    return this.milliTokens + Math.max(0, Math.floor(nowMs) - this.lastMs) * ratePerSecond >= burst * CALL;
  }
}
