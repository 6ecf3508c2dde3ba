import { exactTopRows } from "./exact-neighbours";
import type { JsonFilter } from "./search-filter";
import { TOP_K, type ApiWorkload, type BenchPoint } from "./workload";

/** A Search filter and the benchmark's own model of it, to compute the truth and check answers with. */
export interface ModelFilter {
  /** As sent; undefined searches unfiltered. */
  filter: JsonFilter | undefined;
  /** Whether a point with this payload matches the filter. */
  keeps(payload: BenchPoint["payload"]): boolean;
}

/**
 * One filtered-search measurement over the first queries of a workload: the filter of
 * each query and the exact top 10 among only the points it keeps (brute force, Euclidean).
 */
export interface FilteredCase {
  /** How the report names it, e.g. "`spread < 45`". */
  label: string;
  /** Points in the workload. */
  points: number;
  /** The queries asked, as the API takes them. */
  queryVectors: number[][];
  /** Indexed like the queries. */
  filters: ModelFilter[];
  /** Points each query's filter keeps. */
  matching: number[];
  /** Ids of the exact top 10 among the points each query's filter keeps; empty when none match. */
  truthIds: string[][];
}

/**
 * Builds a case of the first `queryCount` queries from `filterOf(q)`. Queries with the same
 * filter (the same JSON) share one subset of the points, so the truth costs one
 * brute-force pass per distinct filter.
 */
export function filteredCase(
  workload: ApiWorkload,
  queryCount: number,
  label: string,
  filterOf: (query: number) => ModelFilter,
): FilteredCase {
  const filters = workload.queries.slice(0, queryCount).map((_, q) => filterOf(q));
  const subsets = new Map<string, { packed: Float32Array; ids: string[] }>();
  const subsetOf = (model: ModelFilter) => {
    const key = JSON.stringify(model.filter ?? null);
    let subset = subsets.get(key);
    if (!subset) {
      subset = pickRows(workload, model);
      subsets.set(key, subset);
    }
    return subset;
  };
  const truthIds = filters.map((model, q) => {
    const { packed, ids } = subsetOf(model);
    if (ids.length === workload.points.length) return workload.truthIds[q]!;
    return exactTopRows(packed, workload.dimension, workload.queries[q]!, TOP_K).map((row) => ids[row]!);
  });
  const matching = filters.map((model) => subsetOf(model).ids.length);
  return { label, points: workload.points.length, queryVectors: workload.queryVectors.slice(0, queryCount), filters, matching, truthIds };
}

/** The rows a filter keeps, packed back to back, with their ids. */
function pickRows(workload: ApiWorkload, model: ModelFilter): { packed: Float32Array; ids: string[] } {
  const { dimension, packedBase, points } = workload;
  const rows = points.flatMap((point, row) => (model.keeps(point.payload) ? [row] : []));
  const packed = new Float32Array(rows.length * dimension);
  rows.forEach((row, i) => packed.set(packedBase.subarray(row * dimension, (row + 1) * dimension), i * dimension));
  return { packed, ids: rows.map((row) => points[row]!.id) };
}
