import type { PlanLimits } from "./plan-limits";
import { TokenBucket, type TakeResult } from "./token-bucket";

export interface RateLimiterOptions {
  /**
   * Most buckets kept; the least recently used one goes first. A bucket idle for
   * burst / rate seconds is full, the same as a new one, so forgetting it changes
   * nothing; only beyond this many keys active at once would one get a fresh burst.
   * Default 100,000 (a few MB).
   */
  maxBuckets?: number;
  /** Monotonic milliseconds; default performance.now. */
  now?: () => number;
}

/**
 * Token buckets by caller (CallAdmission uses the user id: one bucket for all of a user's
 * keys and sessions), in this process's memory: each API node admits a caller's plan rate
 * on its own, so N API nodes admit up to N times the rate of a caller whose calls are
 * spread over all of them.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly maxBuckets: number;
  private readonly now: () => number;

  constructor(options: RateLimiterOptions = {}) {
    this.maxBuckets = options.maxBuckets ?? 100_000;
    this.now = options.now ?? (() => performance.now());
    if (!Number.isInteger(this.maxBuckets) || this.maxBuckets < 1) {
      throw new RangeError(`RateLimiter: maxBuckets must be a positive integer, got ${options.maxBuckets}`);
    }
  }

  /** Takes a token from `caller`'s bucket, sized by its plan's rate and burst. */
  admit(caller: string, limits: Pick<PlanLimits, "requestsPerSecond" | "burst">): TakeResult {
    const now = this.now();
    let bucket = this.buckets.get(caller);
    if (bucket) {
      // Map order is recency: re-inserting moves the caller to the end.
      this.buckets.delete(caller);
    } else {
      bucket = new TokenBucket(limits.burst, now);
      if (this.buckets.size >= this.maxBuckets) this.buckets.delete(this.buckets.keys().next().value!);
    }
    this.buckets.set(caller, bucket);
    return bucket.take(limits.requestsPerSecond, limits.burst, now);
  }

  /** How many callers have a bucket (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }
}
