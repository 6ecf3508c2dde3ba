/**
 * Shared by this package's tests only (not exported): temporary directories, vectors,
 * exact search, and a reader for the SIFT sample. Not a test file itself.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Metric } from "./types";

/** A fresh directory under the system temp dir, and a way to remove it. */
export function makeTempDir(prefix = "shard-store-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Deterministic pseudo-random numbers (mulberry32), so failures reproduce. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A vector with components in [-1, 1). */
export function randomVector(random: () => number, dimension: number): Float32Array {
  return Float32Array.from({ length: dimension }, () => random() * 2 - 1);
}

/** The score the store must report, computed in float64 from the stored float32 values. */
export function exactScore(metric: Metric, a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  let squared = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    normA += x * x;
    normB += y * y;
    squared += (x - y) * (x - y);
  }
  switch (metric) {
    case "cosine":
      return dot / Math.sqrt(normA * normB);
    case "dot":
      return dot;
    case "euclidean":
      return Math.sqrt(squared);
  }
}

/**
 * Asserts a score the store computed in float32 equals the float64 reference: relative
 * tolerance for large dot products, absolute near zero.
 */
export function expectScoreClose(actual: number, expected: number): void {
  const tolerance = 1e-4 * Math.max(1, Math.abs(expected));
  if (!(Math.abs(actual - expected) <= tolerance)) {
    throw new Error(`score ${actual} differs from the exact ${expected} by more than ${tolerance}`);
  }
}

/** True when score a ranks before score b under the metric. */
export function betterScore(metric: Metric, a: number, b: number): boolean {
  return metric === "euclidean" ? a < b : a > b;
}

/** Exact top-k ids with scores, best first. */
export function exactSearch(
  metric: Metric,
  points: Iterable<{ id: string; vector: Float32Array }>,
  query: Float32Array,
  k: number,
): { id: string; score: number }[] {
  const scored = Array.from(points, (point) => ({ id: point.id, score: exactScore(metric, query, point.vector) }));
  scored.sort((a, b) => (metric === "euclidean" ? a.score - b.score : b.score - a.score));
  return scored.slice(0, k);
}

/** Where the shared data sets live (beside the repo, never copied into it). */
export const datasetsDir = process.env.VECTRON_DATASETS_DIR ?? join(import.meta.dir, "../../../../shared/datasets");

const siftPath = join(datasetsDir, "sift-5k.tsv");

/** The SIFT sample: 5,000 rows of 128 integer features followed by an id column. */
export function readSift(path = siftPath): { ids: string[]; vectors: Float32Array[] } {
  const ids: string[] = [];
  const vectors: Float32Array[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    const fields = line.split("\t");
    ids.push(fields[fields.length - 1]!);
    vectors.push(Float32Array.from(fields.slice(0, -1), Number));
  }
  return { ids, vectors };
}
