import { FILTERED_WARM_UP, type FilteredFigures } from "./filtered-search-bench";
import { formatNumber as n } from "./number-format";
import { ratio, renderGrid } from "./report-table";
import type { BenchResults } from "./results";
import { SPREAD_KEY } from "./sift-selectivity";

/** A share of the points as a percentage, to two significant figures: "50%", "0.11%". */
export const percentOf = (part: number, whole: number) => `${+((100 * part) / whole).toPrecision(2)}%`;

/**
 * The shard planner's limit for an exact filtered search (`exactSearchLimit` of
 * packages/shard-store/src/filtered-search.ts, which the package does not export).
 */
const EXACT_SEARCH_LIMIT = 2_048;

/** Which cases the planner answers exactly and which through the graph (by their mean matches), for the notes. */
function plannedPaths(sift: readonly FilteredFigures[], mnist: readonly FilteredFigures[]): string {
  const filtered = (fs: readonly FilteredFigures[]) => fs.filter((f) => f.inFlight === 1 && f.label !== "none" && f.matching > 0);
  const shares = (fs: FilteredFigures[]) => fs.map((f) => percentOf(f.matching, f.points)).join(", ") || "none";
  const exact = (f: FilteredFigures) => f.matching <= EXACT_SEARCH_LIMIT;
  const graph = (f: FilteredFigures) => !exact(f);
  const siftCases = filtered(sift);
  const mnistCases = filtered(mnist);
  return (
    `SIFT at ${shares(siftCases.filter(graph))} through the graph and at ${shares(siftCases.filter(exact))} exactly; ` +
    `MNIST by digit ${mnistCases.every(exact) ? "exactly" : "through the graph"}`
  );
}

/** The unfiltered figures measured with `f`: the same set, the same concurrency. */
export function unfilteredOf(figures: readonly FilteredFigures[], f: Pick<FilteredFigures, "inFlight">): FilteredFigures | undefined {
  return figures.find((g) => g.label === "none" && g.inFlight === f.inFlight);
}

function renderFiltered(figures: readonly FilteredFigures[]): string {
  const header = ["Filter", "Points matching", "In flight", "Rate", "p50 (µs)", "p99 (µs)", "recall@10", "vs no filter"];
  const rows = figures.map((f) => {
    const unfiltered = unfilteredOf(figures, f);
    const approx = Number.isInteger(f.matching) ? "" : "≈ ";
    return [
      f.label === "none" ? "none (unfiltered)" : f.label,
      `${approx}${n(f.matching)} (${percentOf(f.matching, f.points)})`,
      String(f.inFlight),
      `${n(f.summary.perSecond)} searches/s`,
      n(f.summary.p50Us ?? NaN),
      n(f.summary.p99Us ?? NaN),
      n(f.summary.recall, 3),
      unfiltered ? ratio(f.summary.perSecond, unfiltered.summary.perSecond) : "–",
    ];
  });
  return renderGrid(header, rows, [1, 2, 3, 4, 5, 6]);
}

/** The filtered-search tables alone, and the README section holding them with what the rows mean. */
export function filteredSection(results: BenchResults): { tables: string[]; markdown: string } {
  const { sift, mnist } = results.filtered;
  const tables = [renderFiltered(sift), renderFiltered(mnist)];
  const siftQueries = sift[0]?.queries ?? 0;
  const mnistQueries = mnist[0]?.queries ?? 0;
  const nothing = sift.filter((f) => f.matching === 0);
  const answers = nothing.reduce((sum, f) => sum + f.queries * f.repetitions, 0);
  const hits = nothing.reduce((sum, f) => sum + f.checkedHits, 0);
  const emptyNote = nothing.length
    ? ` The filter matching nothing answered ${n(hits)} hits in ${n(answers)} timed answers.`
    : "";
  const countOnly = nothing.find((f) => f.inFlight === 1);
  const unfiltered = countOnly && unfilteredOf(sift, countOnly);
  const countNote =
    countOnly && unfiltered
      ? ` A filter matching nothing costs only that count: p50 ${n(countOnly.summary.p50Us ?? NaN)} µs one at a time, against ${n(unfiltered.summary.p50Us ?? NaN)} µs unfiltered.`
      : "";
  const markdown = `### Filtered search, one shard (Connect JSON)

SIFT 4.5k (the collection of the first table):

${tables[0]}

MNIST (the collection of the MNIST table):

${tables[1]}

- Search over Connect JSON (\`fetch\`) with a payload \`filter\` (README, "Filters"), top 10,
  payloads returned, against the single-shard collections of the tables above; one request
  at a time and, on SIFT, 8 in flight. Each case gets ${FILTERED_WARM_UP} searches to warm up, then ${results.repetitions} timed
  passes over the first ${siftQueries} SIFT (${mnistQueries} MNIST) queries; "none" is the same queries
  unfiltered, timed among the filtered cases, and "vs no filter" divides by its rate at the same concurrency.
- The filtered keys have payload indexes (\`${SPREAD_KEY}\` and \`digit\`, integer, declared
  with CreatePayloadIndex before the filtered cases), as users should declare them. Without
  an index every filtered search scans the shard's rows: an earlier run of this bench
  (2026-11-21, before indexes, and before payloads were stored ahead of vectors) measured
  about 105 searches/s at 1% on SIFT (9.5% of unfiltered) and 21/s by digit on MNIST.
- **SIFT**: every point's payload has \`${SPREAD_KEY}\`, its place in a fixed shuffle of the 4,500 rows
  (row × 2,003 mod 4,500), so \`${SPREAD_KEY} < n\` keeps exactly n points scattered over the whole
  set. \`${SPREAD_KEY} < 4500\` keeps every point but goes through the filtered path;
  \`${SPREAD_KEY} < 0\` keeps none.
- **MNIST**: each query asks for the nearest images of its own digit (the dataset's label
  of the query image, \`{"key": "digit", "match": {"value": d}}\`); the points matching are the mean over the queries.
- recall@10 is against the exact top 10 among only the matching points (brute force,
  Euclidean); with fewer than 10 matches the truth is all of them. Every answer of every
  timed pass is checked: min(10, matches) hits, each with a payload the filter keeps, so
  a filter matching nothing must answer empty.${emptyNote}
- The server plans each filtered search per shard: it counts the matches; up to 2,048 it
  scores exactly those points, above that it walks the HNSW graph for more candidates than
  asked and keeps the matching ones: here ${plannedPaths(sift, mnist)}.${countNote}`;
  return { tables, markdown };
}
