export type Measure = "cosine" | "euclidean" | "dot";

/** The score Vectron reports for a pair of vectors (see vectron.proto's Distance). */
export function exactScore(measure: Measure, a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  let sq = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
    sq += (x - y) * (x - y);
  }
  if (measure === "dot") return dot;
  if (measure === "euclidean") return Math.sqrt(sq);
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Indexes into `base` of the exact top k for `query`, best first (brute force). */
export function exactTopK(measure: Measure, base: Float32Array[], query: Float32Array, k: number): number[] {
  const scored = base.map((vector, index) => ({ index, score: exactScore(measure, query, vector) }));
  const lowerIsBetter = measure === "euclidean";
  scored.sort((x, y) => (lowerIsBetter ? x.score - y.score : y.score - x.score));
  return scored.slice(0, k).map((s) => s.index);
}

/** Fraction of the true neighbours found: |found ∩ truth| / |truth|. */
export function recall(found: Iterable<string>, truth: string[]): number {
  const want = new Set(truth);
  let hits = 0;
  for (const id of found) if (want.has(id)) hits++;
  return truth.length === 0 ? 1 : hits / truth.length;
}
