import type { Index } from "usearch";
import { bytesToFloat32 } from "@vectron/vector-bytes";
import type { FilterPlan } from "./filter-plan";
import type { FilteredReads } from "./filtered-reads";
import type { Metric } from "./types";

/** Index keys (seqs) and usearch-style distances, best first. */
export interface RankedKeys {
  keys: BigUint64Array;
  distances: Float32Array;
}

/**
 * Below this many matching points a filtered search is exact: score every match. It
 * costs about a microsecond per point and never misses, where an HNSW walk would have to
 * visit most of the graph to find so few matches.
 */
export const exactSearchLimit = 2048;

/**
 * The query planner of one shard for a filtered search:
 * - count the matches, stopping past `exactSearchLimit` (from a payload index's
 *   candidates when the plan has them, else by a scan);
 * - none: nothing to search;
 * - few: exact search over just those points;
 * - many: HNSW search for more candidates than asked, keep those that match, and widen
 *   (by the share of matches seen) until k matches are found or every point has been a
 *   candidate.
 */
export function filteredSearch(
  parts: { index: Index; reads: FilteredReads; metric: Metric; liveCount: number },
  query: Float32Array,
  k: number,
  ef: number,
  plan: FilterPlan,
): RankedKeys {
  if (plan.indexed) {
    const matches = parts.reads.count(plan, exactSearchLimit + 1);
    if (matches === 0) return noKeys();
    if (matches <= exactSearchLimit) return exactSearch(parts.reads.vectors(plan), parts.metric, query, k);
  } else {
    // Without an index, one scan finds the matches (up to the limit); their vectors are
    // then read by primary key rather than by scanning again.
    const seqs = parts.reads.scanSeqs(plan, exactSearchLimit + 1);
    if (seqs.length === 0) return noKeys();
    if (seqs.length <= exactSearchLimit) return exactSearch(parts.reads.vectorsOf(JSON.stringify(seqs)), parts.metric, query, k);
  }
  let asked = Math.min(Math.max(k, ef) * 4, parts.liveCount);
  for (;;) {
    const found = parts.index.search(query, asked, 1);
    const keep = parts.reads.matchingSeqs(JSON.stringify(Array.from(found.keys, Number)), plan);
    const keys: bigint[] = [];
    const distances: number[] = [];
    for (let i = 0; i < found.keys.length && keys.length < k; i++) {
      if (!keep.has(Number(found.keys[i]))) continue;
      keys.push(found.keys[i]!);
      distances.push(found.distances[i]!);
    }
    if (keys.length >= k || asked >= parts.liveCount) {
      return { keys: BigUint64Array.from(keys), distances: Float32Array.from(distances) };
    }
    // Widen by what the matches seen so far suggest is needed (at least 2x, 4x if none).
    const matched = keep.size;
    const factor = matched === 0 ? 4 : Math.max(2, (1.5 * k) / matched);
    asked = Math.min(Math.ceil(asked * factor), parts.liveCount);
  }
}

function noKeys(): RankedKeys {
  return { keys: new BigUint64Array(0), distances: new Float32Array(0) };
}

/** The k best of the given rows by brute force, as usearch distances (see metric.ts). */
function exactSearch(rows: { seq: number; vector: Uint8Array }[], metric: Metric, query: Float32Array, k: number): RankedKeys {
  let queryNorm = 0;
  for (let i = 0; i < query.length; i++) queryNorm += query[i]! * query[i]!;
  const scored = rows.map((row) => ({ seq: row.seq, distance: distanceOf(metric, query, queryNorm, bytesToFloat32(row.vector)) }));
  // Ties go to the older version, so the result never depends on the order rows were read in (scan or index).
  scored.sort((a, b) => a.distance - b.distance || a.seq - b.seq);
  const best = scored.slice(0, k);
  return { keys: BigUint64Array.from(best, (s) => BigInt(s.seq)), distances: Float32Array.from(best, (s) => s.distance) };
}

/** usearch's distance for the metric: 1 − cosine, 1 − dot, or the squared L2 distance. */
function distanceOf(metric: Metric, query: Float32Array, queryNorm: number, vector: Float32Array): number {
  let dot = 0;
  let norm = 0;
  let squared = 0;
  for (let i = 0; i < vector.length; i++) {
    const x = query[i]!;
    const y = vector[i]!;
    dot += x * y;
    norm += y * y;
    squared += (x - y) * (x - y);
  }
  if (metric === "euclidean") return squared;
  if (metric === "dot") return 1 - dot;
  return 1 - (queryNorm === 0 || norm === 0 ? 0 : dot / Math.sqrt(queryNorm * norm));
}
