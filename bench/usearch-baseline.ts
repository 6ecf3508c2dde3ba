import { defaultConnectivity, defaultExpansionAdd, defaultExpansionSearch } from "@vectron/shard-store";
import { Index, MetricKind, ScalarKind } from "usearch";
import { meanRecall, TOP_K, type SiftWorkload } from "./sift-workload";
import { now, type Pass } from "./timing";

/**
 * usearch in process with the HNSW parameters the server's shards use, and the metric
 * Vectron uses for Euclidean collections (l2sq: same order as the distance).
 */
export function createBaselineIndex(dimensions: number): Index {
  return new Index({
    dimensions,
    metric: MetricKind.L2sq,
    quantization: ScalarKind.F32,
    connectivity: defaultConnectivity,
    expansion_add: defaultExpansionAdd,
    expansion_search: defaultExpansionSearch,
    multi: false,
  });
}

/** The base rows laid out back to back, keyed by row number, as the shard store adds them. */
function packed(base: Float32Array[]): { keys: BigUint64Array; vectors: Float32Array } {
  const dimensions = base[0]!.length;
  const vectors = new Float32Array(base.length * dimensions);
  base.forEach((row, i) => vectors.set(row, i * dimensions));
  return { keys: BigUint64Array.from(base, (_, i) => BigInt(i)), vectors };
}

/** One call adding every base vector to a fresh index with `threads` threads; the unit is vectors. */
export function timeAdd(workload: SiftWorkload, threads: number): { pass: Pass; index: Index } {
  const { keys, vectors } = packed(workload.base);
  const index = createBaselineIndex(workload.base[0]!.length);
  const started = now();
  index.add(keys, vectors, threads);
  return { pass: { operations: keys.length, elapsedNs: now() - started, latenciesNs: [] }, index };
}

/** Every query one at a time on one thread, each timed; and the recall@10 reached. */
export function timeSearch(workload: SiftWorkload, index: Index): { pass: Pass; recall: number } {
  const latenciesNs: number[] = [];
  const foundKeys: BigUint64Array[] = [];
  const started = now();
  for (const query of workload.queries) {
    const t0 = now();
    const matches = index.search(query, TOP_K, 1);
    latenciesNs.push(now() - t0);
    foundKeys.push(matches.keys);
  }
  const elapsedNs = now() - started;
  const foundIds = foundKeys.map((keys) => Array.from(keys, (key) => workload.baseIds[Number(key)]!));
  return { pass: { operations: workload.queries.length, elapsedNs, latenciesNs }, recall: meanRecall(workload, foundIds) };
}
