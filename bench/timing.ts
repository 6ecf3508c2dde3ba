/** What one timed pass measured: how many operations, how long, and each one's latency. */
export interface Pass {
  /** Operations completed (searches, requests, or vectors for ingest). */
  operations: number;
  /** Wall-clock time of the whole pass, in nanoseconds. */
  elapsedNs: number;
  /** Latency of each request in the pass, in nanoseconds (empty when not per request). */
  latenciesNs: number[];
}

/** The figures reported for one pass. Latencies in microseconds. */
export interface Summary {
  /** Operations per second over the whole pass. */
  perSecond: number;
  p50Us: number | undefined;
  p99Us: number | undefined;
}

/** Monotonic clock in nanoseconds. */
export const now = (): number => Bun.nanoseconds();

/**
 * The p-th percentile (0 < p ≤ 100) of `values` by the nearest-rank method: the
 * smallest value with at least p% of the values at or below it. Undefined when empty.
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Throughput and latency percentiles of a pass. */
export function summarize(pass: Pass): Summary {
  const p50 = percentile(pass.latenciesNs, 50);
  const p99 = percentile(pass.latenciesNs, 99);
  return {
    perSecond: pass.operations / (pass.elapsedNs / 1e9),
    p50Us: p50 === undefined ? undefined : p50 / 1e3,
    p99Us: p99 === undefined ? undefined : p99 / 1e3,
  };
}

/** The median of `values` (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median: no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Figure by figure median of several repetitions' summaries (each figure on its own, so
 * the reported p99 is the median p99, not the p99 of the median-throughput run).
 */
export function medianSummary(summaries: readonly Summary[]): Summary {
  const of = (pick: (s: Summary) => number | undefined) => {
    const values = summaries.map(pick).filter((v): v is number => v !== undefined);
    return values.length === 0 ? undefined : median(values);
  };
  return { perSecond: of((s) => s.perSecond)!, p50Us: of((s) => s.p50Us), p99Us: of((s) => s.p99Us) };
}
