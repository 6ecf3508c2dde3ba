/**
 * Rows of the exact top `k` of `query` among the packed `base` rows by Euclidean
 * distance, nearest first: brute force over every row, summed in doubles so that large
 * integer features (MNIST pixels) order exactly. Ties keep the lower row first.
 */
export function exactTopRows(base: Float32Array, dimension: number, query: Float32Array, k: number): number[] {
  const rows = base.length / dimension;
  // Sorted ascending by distance; only the k best are kept.
  const bestRows: number[] = [];
  const bestDistances: number[] = [];
  for (let row = 0; row < rows; row++) {
    const offset = row * dimension;
    let sum = 0;
    for (let d = 0; d < dimension; d++) {
      const diff = base[offset + d]! - query[d]!;
      sum += diff * diff;
    }
    if (bestRows.length === k && sum >= bestDistances[k - 1]!) continue;
    let at = bestRows.length === k ? k - 1 : bestRows.length;
    while (at > 0 && bestDistances[at - 1]! > sum) {
      bestDistances[at] = bestDistances[at - 1]!;
      bestRows[at] = bestRows[at - 1]!;
      at--;
    }
    bestDistances[at] = sum;
    bestRows[at] = row;
  }
  return bestRows;
}

/** The ids of the exact top `k` of each query. */
export function exactTopIds(
  base: Float32Array,
  dimension: number,
  baseIds: readonly string[],
  queries: readonly Float32Array[],
  k: number,
): string[][] {
  return queries.map((query) => exactTopRows(base, dimension, query, k).map((row) => baseIds[row]!));
}
