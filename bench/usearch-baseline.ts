import { defaultConnectivity, defaultExpansionAdd, defaultExpansionSearch } from "@vectron/shard-store";
import { Index, MetricKind, ScalarKind } from "usearch";
import type { Repetitions, SearchSummary } from "./api-bench";
import { median, medianSummary, now, summarize, type Pass, type Summary } from "./timing";
import { meanRecall, TOP_K, type Workload } from "./workload";

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

/**
 * One call adding base rows `from` to `to` (exclusive; all by default), keyed by row
 * number as the shard store keys them, with `threads` threads; the unit is vectors.
 * Adds to `index` when given, else to a fresh one.
 */
export function timeAdd(
  workload: Workload,
  threads: number,
  { index = createBaselineIndex(workload.dimension), from = 0, to = workload.baseIds.length }: { index?: Index; from?: number; to?: number } = {},
): { pass: Pass; index: Index } {
  const keys = new BigUint64Array(to - from);
  for (let i = 0; i < keys.length; i++) keys[i] = BigInt(from + i);
  const vectors = workload.packedBase.subarray(from * workload.dimension, to * workload.dimension);
  const started = now();
  index.add(keys, vectors, threads);
  return { pass: { operations: keys.length, elapsedNs: now() - started, latenciesNs: [] }, index };
}

/** Every query one at a time on one thread, each timed; and the recall@10 reached. */
export function timeSearch(workload: Workload, index: Index): { pass: Pass; recall: number } {
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

/** usearch's figures on a workload: adding every row (by thread count) and searching. */
export interface UsearchFigures {
  add: { threads: number; summary: Summary }[];
  /** The queries one at a time on one thread. */
  search: SearchSummary;
}

/**
 * Adds every row into a fresh index with each of `threads` (a warm-up, then `repetitions`
 * timed builds each), then times the queries on a 1-thread build (a warm-up pass, then
 * `repetitions` timed passes). Medians, each figure on its own.
 */
export function measureUsearch(workload: Workload, { repetitions }: Repetitions, threads: readonly number[] = [1]): UsearchFigures {
  const add = threads.map((count) => {
    timeAdd(workload, count); // warm-up
    const summaries = Array.from({ length: repetitions }, () => summarize(timeAdd(workload, count).pass));
    return { threads: count, summary: medianSummary(summaries) };
  });
  const { index } = timeAdd(workload, 1);
  timeSearch(workload, index); // warm-up
  const passes = Array.from({ length: repetitions }, () => timeSearch(workload, index));
  return { add, search: { ...medianSummary(passes.map((p) => summarize(p.pass))), recall: median(passes.map((p) => p.recall)) } };
}

/** usearch's figures on a large set, built in the same halves the API ingests it in. */
export interface UsearchHalvesFigures {
  /** One pass each (a build of 200k takes half a minute): rows `from`–`to` added in one call, 1 thread. */
  add: { from: number; to: number; summary: Summary }[];
  search: SearchSummary;
}

/**
 * Builds one index of every row in two calls (first half, then second half: the rates of
 * a growing index), then times the queries (a warm-up pass, then `repetitions` passes).
 */
export function measureUsearchInHalves(workload: Workload, { repetitions }: Repetitions): UsearchHalvesFigures {
  const half = Math.floor(workload.baseIds.length / 2);
  const first = timeAdd(workload, 1, { to: half });
  const second = timeAdd(workload, 1, { index: first.index, from: half });
  const add = [
    { from: 0, to: half, summary: summarize(first.pass) },
    { from: half, to: workload.baseIds.length, summary: summarize(second.pass) },
  ];
  timeSearch(workload, first.index); // warm-up
  const passes = Array.from({ length: repetitions }, () => timeSearch(workload, first.index));
  return { add, search: { ...medianSummary(passes.map((p) => summarize(p.pass))), recall: median(passes.map((p) => p.recall)) } };
}
