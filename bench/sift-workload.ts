import { exactTopK, loadSift, recall, siftPayload } from "@vectron/datasets";

export const TOP_K = 10;

/** A point as the API takes it: plain numbers and a JSON payload. */
export interface BenchPoint {
  id: string;
  vector: number[];
  payload: ReturnType<typeof siftPayload>;
}

/** Everything the benchmark indexes and asks, prepared once so no timed section pays for it. */
export interface SiftWorkload {
  /** The 4,500 base vectors, for usearch. */
  base: Float32Array[];
  /** Their ids, by row. */
  baseIds: string[];
  /** The 500 held-out queries, for usearch. */
  queries: Float32Array[];
  /** The same base rows as API points, with their payloads. */
  points: BenchPoint[];
  /** The same queries as plain number arrays, for the API clients. */
  queryVectors: number[][];
  /** Ids of the exact top 10 (Euclidean, brute force) of each query. */
  truthIds: string[][];
}

/** Loads SIFT 4.5k / 500 and computes the exact ground truth. */
export async function loadSiftWorkload(): Promise<SiftWorkload> {
  const { base, baseIds, queries } = await loadSift();
  const truthIds = queries.map((q) => exactTopK("euclidean", base, q, TOP_K).map((row) => baseIds[row]!));
  return {
    base,
    baseIds,
    queries,
    points: base.map((vector, row) => ({ id: baseIds[row]!, vector: Array.from(vector), payload: siftPayload(row, baseIds[row]!) })),
    queryVectors: queries.map((q) => Array.from(q)),
    truthIds,
  };
}

/** Mean recall@10 over the queries, given the ids found for each (indexed like the queries). */
export function meanRecall(workload: SiftWorkload, foundIds: readonly (readonly string[])[]): number {
  let sum = 0;
  for (let q = 0; q < workload.truthIds.length; q++) sum += recall(foundIds[q] ?? [], workload.truthIds[q]!);
  return sum / workload.truthIds.length;
}
