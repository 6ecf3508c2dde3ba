import { expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { closeSync, existsSync, openSync, rmSync, statfsSync, writeSync } from "node:fs";
import { join } from "node:path";
import { openShardStore, ShardStoreError, type PointInput } from "./index";
import { mountTmpfs, randomVector, seededRandom } from "./test-fixtures";

const dimension = 128;

/** Writes `path` until at most `leaveBytes` are free on its file system. */
function fillUpTo(path: string, dir: string, leaveBytes: number): void {
  const fd = openSync(path, "w");
  const block = new Uint8Array(64 << 10);
  const free = () => {
    const stats = statfsSync(dir);
    return Number(stats.bavail) * Number(stats.bsize);
  };
  try {
    while (free() - block.length >= leaveBytes) writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

test("on a full disk a write fails whole with ERR_DISK_FULL, reads and search go on, and writes resume once there is space", () => {
  const disk = mountTmpfs(8);
  try {
    const dir = join(disk.dir, "shard");
    const filler = join(disk.dir, "filler");
    fillUpTo(filler, disk.dir, 1536 << 10);
    const store = openShardStore({ dir, dimension, metric: "euclidean" });
    const random = seededRandom(7);
    const live = new Map<string, PointInput>();
    let refused: { error: unknown; points: PointInput[] } | undefined;
    for (let batch = 0; batch < 500 && !refused; batch++) {
      const points = Array.from({ length: 100 }, (_, i) => ({
        id: `b${batch}-${i}`,
        vector: randomVector(random, dimension),
        payload: JSON.stringify({ batch, i, note: "x".repeat(100) }),
      }));
      try {
        store.apply(points, []);
        for (const point of points) live.set(point.id, point);
      } catch (error) {
        refused = { error, points };
      }
    }
    expect(refused, "the disk never filled").toBeDefined();
    expect(refused!.error).toBeInstanceOf(ShardStoreError);
    expect((refused!.error as ShardStoreError).code).toBe("ERR_DISK_FULL");
    expect((refused!.error as Error).message).toMatch(/^disk full: /);
    expect(live.size).toBeGreaterThan(0);

    // Nothing of the refused batch: counters as committed, the index not ahead of the rows.
    expect(store.lastSeq()).toBe(live.size);
    expect(store.count()).toBe(live.size);
    expect(store.get(refused!.points.map((p) => p.id), { payload: true, vector: true })).toEqual([]);
    expect(store.search(new Float32Array(dimension), live.size + 100, { payload: false, vector: false })).toHaveLength(live.size);
    const sample = [...live.values()].slice(-5);
    for (const point of sample) expect(store.search(point.vector, 1, { payload: true, vector: false })[0]).toEqual({ id: point.id, score: 0, payload: point.payload });

    // An index save fails the same way, and leaves no half-written file holding the space.
    const saveError = thrown(() => store.saveIndex());
    expect(saveError).toBeInstanceOf(ShardStoreError);
    expect((saveError as ShardStoreError).code).toBe("ERR_DISK_FULL");
    expect(existsSync(join(dir, "index.usearch.tmp"))).toBe(false);

    // Closing on the full disk does not fail (the index is a cache of the rows), and the
    // store opens on it: the index it rebuilds cannot be saved, so it stays in memory.
    store.close();
    const reopened = openShardStore({ dir, dimension, metric: "euclidean" });
    expect(reopened.openInfo).toMatchObject({ loadedIndex: false, rebuilt: true });
    expect(reopened.count()).toBe(live.size);
    expect(reopened.search(new Float32Array(dimension), live.size + 100, { payload: false, vector: false })).toHaveLength(live.size);
    expect(existsSync(join(dir, "index.usearch"))).toBe(false);

    // Space again: the refused batch goes in with the next sequence numbers, and the index saves.
    rmSync(filler);
    expect(reopened.apply(refused!.points, [])).toEqual({ lastSeq: live.size + refused!.points.length, upserted: refused!.points.length, deleted: 0 });
    for (const point of refused!.points) live.set(point.id, point);
    reopened.saveIndex();
    reopened.close();

    const db = new Database(join(dir, "shard.sqlite"), { readonly: true });
    expect(db.query("PRAGMA integrity_check").all()).toEqual([{ integrity_check: "ok" }]);
    db.close();
    const again = openShardStore({ dir, dimension, metric: "euclidean" });
    try {
      expect(again.openInfo).toEqual({ loadedIndex: true, caughtUp: 0, rebuilt: false });
      expect(again.count()).toBe(live.size);
      const ids = [...live.keys()];
      const stored = again.get(ids, { payload: true, vector: true });
      expect(stored).toEqual(ids.map((id) => ({ id, payload: live.get(id)!.payload, vector: live.get(id)!.vector })));
      expect(again.search(new Float32Array(dimension), live.size + 100, { payload: false, vector: false })).toHaveLength(live.size);
    } finally {
      again.close();
    }
  } finally {
    disk.unmount();
  }
});
