/**
 * Bounds on a filter, checked by checkFilter. They keep one request's cost on a shard
 * bounded: every condition is evaluated per candidate point, in JS or in SQLite.
 */
export const filterLimits = {
  /** Conditions in must, should and mustNot together. */
  conditions: 64,
  /** Values in one `match.any`. */
  anyValues: 1024,
  /** Characters (Unicode code points) in a key, dots included. */
  keyLength: 256,
  /** Dot-separated segments in a key. */
  keySegments: 16,
} as const;
