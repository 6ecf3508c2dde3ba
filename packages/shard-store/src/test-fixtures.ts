/**
 * Shared by this package's tests only (not exported): temporary directories, vectors,
 * exact search, and a reader for the SIFT sample. Not a test file itself.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exactScore, loadSift } from "@vectron/datasets";
import type { Metric } from "./types";

/** A fresh directory under the system temp dir, and a way to remove it. */
export function makeTempDir(prefix = "shard-store-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A tmpfs of `sizeMiB` MiB on a fresh directory, for filling a disk for real. Needs root
 * (these tests run as root); without it this throws, so the test fails instead of skipping.
 */
export function mountTmpfs(sizeMiB: number): { dir: string; unmount: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "shard-store-tmpfs-"));
  const mount = Bun.spawnSync(["mount", "-t", "tmpfs", "-o", `size=${sizeMiB}m`, "tmpfs", dir]);
  if (mount.exitCode !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mount -t tmpfs failed (${mount.stderr.toString().trim()}): this test fills a small file system and must run as root`);
  }
  return {
    dir,
    unmount: () => {
      if (Bun.spawnSync(["umount", dir]).exitCode !== 0) Bun.spawnSync(["umount", "-l", dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Deterministic pseudo-random numbers, so failures reproduce. */
export { seededRandom } from "@vectron/datasets";

/** A vector with components in [-1, 1). */
export function randomVector(random: () => number, dimension: number): Float32Array {
  return Float32Array.from({ length: dimension }, () => random() * 2 - 1);
}

/** The score the store must report, computed in float64 from the stored float32 values. */
export { exactScore } from "@vectron/datasets";

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

/** The SIFT sample (all 5,000 rows: base then queries) from the shared data sets. */
export async function readSift(): Promise<{ ids: string[]; vectors: Float32Array[] }> {
  const sift = await loadSift();
  const queryIds = sift.queries.map((_, i) => `query-${i}`);
  return { ids: [...sift.baseIds, ...queryIds], vectors: [...sift.base, ...sift.queries] };
}
