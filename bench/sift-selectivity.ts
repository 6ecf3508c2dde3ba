import { filteredCase, type FilteredCase, type ModelFilter } from "./filtered-case";
import { numberBelow } from "./search-filter";
import type { ApiWorkload } from "./workload";

/** The payload field whose range sets how many SIFT points a filter keeps. */
export const SPREAD_KEY = "spread";
/** Prime and coprime to 4,500 (2² · 3² · 5³), so `row × step mod rows` visits every row once. */
const SPREAD_STEP = 2_003;

/** The shares of the points the filtered SIFT searches keep, largest first. */
export const siftShares = [1, 0.5, 0.1, 0.01, 0.001, 0] as const;
/**
 * Queries of each filtered SIFT pass (the first of the 500): without payload indexes a
 * filtered search scans the shard's rows, ~10 ms here, and 500 per pass would take minutes.
 */
export const SIFT_FILTERED_QUERIES = 150;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * `spread` of a row: its place in a fixed shuffle of the `rows` rows (0 … rows − 1, each
 * once), so `spread < n` keeps exactly n points scattered over the whole set rather than
 * a block of neighbouring rows.
 */
export function spreadOf(row: number, rows: number): number {
  if (gcd(SPREAD_STEP, rows) !== 1) throw new Error(`spreadOf: ${rows} rows share a factor with ${SPREAD_STEP}; pick another step`);
  return (row * SPREAD_STEP) % rows;
}

/** Points `spread < n` keeps for a share of the set (0.1% of 4,500 is 4.5: 5 points). */
export const spreadLimit = (share: number, rows: number) => Math.round(share * rows);

/** A share as the report prints it: "50%", "0.1%". */
export const shareLabel = (share: number) => `${+(share * 100).toPrecision(3)}%`;

/**
 * The SIFT cases: no filter, then `spread < n` keeping each of `siftShares` of the points
 * (the first matches every point through the filter path, the last matches none).
 */
export function siftFilteredCases(workload: ApiWorkload): FilteredCase[] {
  const rows = workload.points.length;
  const cases = [filteredCase(workload, SIFT_FILTERED_QUERIES, "none", () => ({ filter: undefined, keeps: () => true }))];
  for (const share of siftShares) {
    const limit = spreadLimit(share, rows);
    const model: ModelFilter = { filter: numberBelow(SPREAD_KEY, limit), keeps: (payload) => (payload[SPREAD_KEY] as number) < limit };
    cases.push(filteredCase(workload, SIFT_FILTERED_QUERIES, `\`${SPREAD_KEY} < ${limit}\``, () => model));
  }
  return cases;
}
