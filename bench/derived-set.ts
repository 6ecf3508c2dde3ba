import { loadSift, seededRandom, SIFT_DIMENSION } from "@vectron/datasets";
import { exactTopIds } from "./exact-neighbours";
import { TOP_K, type BenchPoint, type PointSource, type Workload } from "./workload";

/** How the derived set is made; the README states it next to its figures. */
export const derivedRecipe = {
  points: 200_000,
  /** Each feature gets uniform noise in [-noise, +noise), not clamped. */
  noise: 2,
  seed: 0x5eed_2024,
  /** The first this many of SIFT's 500 held-out queries are asked. */
  queries: 200,
} as const;

/** The derived set: a workload whose API points are built a batch at a time. */
export interface DerivedSet extends Workload {
  /** Base rows `from` to `to` (exclusive) as API points, built a slice at a time (200k at once would cost ~250 MB). */
  points(from: number, to: number): PointSource;
  /** How many real SIFT rows it was derived from. */
  sourceRows: number;
}

/**
 * A set of `count` points derived from SIFT's 4,500 base rows: point i is row i mod 4,500
 * plus uniform noise of ±2 per feature from a seeded PRNG, so each real row has ~44 noisy
 * copies and any prefix of the set covers every row evenly. Ids `d-<i>`; the payload
 * names the source row and the copy. Queries are real held-out SIFT rows; their exact
 * top 10 over the whole derived set is computed by brute force.
 */
export async function loadDerivedSet(count: number = derivedRecipe.points): Promise<DerivedSet> {
  const { base, baseIds, queries: heldOut } = await loadSift();
  const dimension = SIFT_DIMENSION;
  const random = seededRandom(derivedRecipe.seed);
  const packedBase = new Float32Array(count * dimension);
  for (let i = 0; i < count; i++) {
    const source = base[i % base.length]!;
    for (let d = 0; d < dimension; d++) packedBase[i * dimension + d] = source[d]! + (random() * 2 - 1) * derivedRecipe.noise;
  }
  const ids = Array.from({ length: count }, (_, i) => `d-${i}`);
  const queries = heldOut.slice(0, derivedRecipe.queries);
  const point = (i: number): BenchPoint => {
    // A plain loop: several times faster than Array.from on a subarray, and it runs
    // inside the timed ingest requests.
    const vector = new Array<number>(dimension);
    for (let d = 0; d < dimension; d++) vector[d] = packedBase[i * dimension + d]!;
    return { id: ids[i]!, vector, payload: { sourceId: ids[i]!, siftId: baseIds[i % base.length]!, copy: Math.floor(i / base.length) } };
  };
  return {
    dimension,
    packedBase,
    baseIds: ids,
    queries,
    queryVectors: queries.map((q) => Array.from(q)),
    truthIds: exactTopIds(packedBase, dimension, ids, queries, TOP_K),
    sourceRows: base.length,
    points: (from, to) => ({
      length: to - from,
      slice: (start, end) => Array.from({ length: Math.min(end, to - from) - start }, (_, j) => point(from + start + j)),
    }),
  };
}
