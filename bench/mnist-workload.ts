import { loadMnist, MNIST_DIMENSION } from "@vectron/datasets";
import { exactTopIds } from "./exact-neighbours";
import { packRows, TOP_K, type ApiWorkload } from "./workload";

/** Images indexed; the rest of the 10,000 are held out as queries. */
export const MNIST_BASE_ROWS = 9_000;
/** Held-out images asked (of the 1,000), to keep the run short. */
export const MNIST_QUERIES = 300;

/** MNIST as a workload, with the digit of each query (for the filtered searches). */
export interface MnistWorkload extends ApiWorkload {
  /** Indexed like the queries. */
  queryDigits: number[];
}

/**
 * MNIST (784 pixels of 0..255 per image) as a workload: the first 9,000 images as points
 * `mnist-<row>` with their digit in the payload, the first 300 of the last 1,000 images
 * as queries, and their exact Euclidean top 10 by brute force.
 */
export async function loadMnistWorkload(): Promise<MnistWorkload> {
  const { images, labels } = await loadMnist();
  const base = images.slice(0, MNIST_BASE_ROWS);
  const queries = images.slice(MNIST_BASE_ROWS, MNIST_BASE_ROWS + MNIST_QUERIES);
  const baseIds = base.map((_, row) => `mnist-${row}`);
  const packedBase = packRows(base, MNIST_DIMENSION);
  return {
    dimension: MNIST_DIMENSION,
    packedBase,
    baseIds,
    queries,
    points: base.map((vector, row) => ({
      id: baseIds[row]!,
      vector: Array.from(vector),
      payload: { sourceId: baseIds[row]!, row, digit: labels[row]! },
    })),
    queryVectors: queries.map((q) => Array.from(q)),
    truthIds: exactTopIds(packedBase, MNIST_DIMENSION, baseIds, queries, TOP_K),
    queryDigits: labels.slice(MNIST_BASE_ROWS, MNIST_BASE_ROWS + MNIST_QUERIES),
  };
}
