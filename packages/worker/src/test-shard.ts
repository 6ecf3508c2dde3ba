/**
 * Shared by this package's tests only (not exported, not a test file itself): a real
 * shard store in a fresh temp directory, and small point builders.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openShardStore, type PointInput, type ShardStore, type StoredPoint } from "@vectron/shard-store";

/** A fresh temp directory and a way to remove it. */
export function makeTempDir(prefix = "vectron-worker-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A real euclidean store of `dimension` in its own temp dir; `dispose` closes and removes it. */
export function openTempStore(dimension: number): { store: ShardStore; dispose: () => void } {
  const { dir, cleanup } = makeTempDir();
  const store = openShardStore({ dir, dimension, metric: "euclidean" });
  return {
    store,
    dispose() {
      try {
        store.close();
      } catch {
        // Already closed by the test.
      }
      cleanup();
    },
  };
}

/** A point whose vector is `[x, 0, 0, ...]` and payload `{"v":x}`, so contents are checkable. */
export function point(id: string, x: number, dimension: number): PointInput {
  const vector = new Float32Array(dimension);
  vector[0] = x;
  return { id, vector, payload: JSON.stringify({ v: x }) };
}

/** Every live point (id, payload, vector), in id order. */
export function allPoints(store: ShardStore): StoredPoint[] {
  return store.scroll("", 1_000_000, { payload: true, vector: true });
}
