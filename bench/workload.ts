import type { JsonObject } from "@bufbuild/protobuf";
import { recall } from "@vectron/datasets";

/** Every search in the benchmark asks for the top 10. */
export const TOP_K = 10;

/**
 * A point as the API takes it: plain numbers and a JSON payload. `sourceId` repeats the
 * point id, so a search answer can be checked to carry the payload of the id it names.
 */
export interface BenchPoint {
  id: string;
  vector: number[];
  payload: JsonObject & { sourceId: string };
}

/** Points to upsert: an array of them, or a view that builds each slice when asked. */
export interface PointSource {
  readonly length: number;
  slice(start: number, end: number): readonly BenchPoint[];
}

/** A vector set with held-out queries and their exact neighbours, prepared before any timing. */
export interface Workload {
  dimension: number;
  /** The base rows back to back (row r at r × dimension): what usearch indexes. */
  packedBase: Float32Array;
  /** The id of each base row. */
  baseIds: string[];
  /** The held-out queries, for usearch. */
  queries: Float32Array[];
  /** The same queries as plain number arrays, for the API clients. */
  queryVectors: number[][];
  /** Ids of the exact top 10 (Euclidean, brute force) of each query. */
  truthIds: string[][];
}

/** A workload small enough to hold every base row as an API point up front. */
export interface ApiWorkload extends Workload {
  /** The base rows as API points with their payloads, in row order. */
  points: BenchPoint[];
}

/** The rows laid out back to back, as usearch and the exact search read them. */
export function packRows(rows: readonly Float32Array[], dimension: number): Float32Array {
  const packed = new Float32Array(rows.length * dimension);
  rows.forEach((row, i) => packed.set(row, i * dimension));
  return packed;
}

/**
 * Mean recall@10 over the queries, given the ids found for each (indexed like the queries).
 * A query with no true neighbours (a filter matching nothing) scores 1 only when nothing was found.
 */
export function meanRecall(workload: Pick<Workload, "truthIds">, foundIds: readonly (readonly string[])[]): number {
  let sum = 0;
  for (let q = 0; q < workload.truthIds.length; q++) {
    const found = foundIds[q] ?? [];
    const truth = workload.truthIds[q]!;
    sum += truth.length === 0 ? (found.length === 0 ? 1 : 0) : recall(found, truth);
  }
  return sum / workload.truthIds.length;
}
