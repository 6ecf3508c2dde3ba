import type { RetryOptions } from "./client-options.js";
import type { VectronClientError } from "./vectron-client-error.js";

/**
 * How long to wait before attempt `attempt + 1` of an idempotent call that failed with
 * `error`, or undefined when it must not be retried:
 * - `unavailable`: exponential backoff, baseDelayMs · 2^(attempt−1) capped at maxDelayMs,
 *   with "equal jitter" (half fixed, half random) so that many clients that failed
 *   together do not come back together, while each still waits a little;
 * - `resource_exhausted`: only with the server's hint, and then after the delay it
 *   names: `retry-after-ms` (Vectron's rate limiter sends it) or `retry-after` (seconds
 *   or an HTTP date). Without one (a quota, a size limit) waiting would not help;
 * - anything else: never (a bad request stays bad).
 */
export function retryDelayMs(error: VectronClientError, attempt: number, policy: Required<RetryOptions>): number | undefined {
  if (attempt >= policy.attempts) return undefined;
  if (error.code === "unavailable") {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }
  if (error.code === "resource_exhausted" && policy.retryAfterHint) {
    const ms = error.metadata.get("retry-after-ms");
    if (ms !== null && /^\d+$/.test(ms.trim())) return Number(ms.trim());
    return retryAfterMs(error.metadata.get("retry-after"));
  }
  return undefined;
}

/** A `retry-after` header value in milliseconds: delta-seconds or an HTTP date; undefined if absent or malformed. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
