import { loadSift, SIFT_DIMENSION, siftPayload } from "@vectron/datasets";
import { exactTopIds } from "./exact-neighbours";
import { SPREAD_KEY, spreadOf } from "./sift-selectivity";
import { packRows, TOP_K, type ApiWorkload } from "./workload";

/**
 * Loads SIFT 4.5k / 500 as API points and queries, and computes the exact ground truth.
 * Each payload is the dataset's `siftPayload` plus `spread`, which the filtered searches select on.
 */
export async function loadSiftWorkload(): Promise<ApiWorkload> {
  const { base, baseIds, queries } = await loadSift();
  const packedBase = packRows(base, SIFT_DIMENSION);
  return {
    dimension: SIFT_DIMENSION,
    packedBase,
    baseIds,
    queries,
    points: base.map((vector, row) => ({
      id: baseIds[row]!,
      vector: Array.from(vector),
      payload: { ...siftPayload(row, baseIds[row]!), [SPREAD_KEY]: spreadOf(row, base.length) },
    })),
    queryVectors: queries.map((q) => Array.from(q)),
    truthIds: exactTopIds(packedBase, SIFT_DIMENSION, baseIds, queries, TOP_K),
  };
}
