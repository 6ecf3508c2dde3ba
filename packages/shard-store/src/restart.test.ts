import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { catchUpIndex, createIndex } from "./hnsw-index";
import { indexFilePath, publishIndexFile, writeIndexFile } from "./index-file";
import { identityJson } from "./index-recovery";
import { openShardStore, type ShardStore, type ShardStoreOptions } from "./index";
import { openDatabase, prepareStatements } from "./shard-database";
import { makeTempDir, randomVector, seededRandom } from "./test-fixtures";

const both = { payload: true, vector: true };
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A store with 300 points (8-dim), saved; returns its options and the live vectors by id. */
function savedStore(): { options: ShardStoreOptions; live: Map<string, Float32Array> } {
  const { dir, cleanup } = makeTempDir();
  cleanups.push(cleanup);
  const options: ShardStoreOptions = { dir, dimension: 8, metric: "euclidean" };
  const store = openShardStore(options);
  const random = seededRandom(42);
  const live = new Map<string, Float32Array>();
  const points = Array.from({ length: 300 }, (_, i) => ({ id: `p${i}`, vector: randomVector(random, 8), payload: `{"i":${i}}` }));
  store.apply(points, []);
  for (const p of points) live.set(p.id, p.vector);
  store.close();
  return { options, live };
}

/** Applies updates, deletes and inserts after the save; mirrors them in `live`. */
function changeAfterSave(store: ShardStore, live: Map<string, Float32Array>): void {
  const random = seededRandom(99);
  const updates = Array.from({ length: 20 }, (_, i) => ({ id: `p${i}`, vector: randomVector(random, 8), payload: '{"updated":true}' }));
  const inserts = Array.from({ length: 10 }, (_, i) => ({ id: `new${i}`, vector: randomVector(random, 8), payload: "{}" }));
  const deletes = Array.from({ length: 15 }, (_, i) => `p${100 + i}`);
  store.apply([...updates, ...inserts], deletes);
  for (const p of [...updates, ...inserts]) live.set(p.id, p.vector);
  for (const id of deletes) live.delete(id);
}

/** Every live point is found by its own vector with its current version; nothing else is. */
function expectIndexMatches(store: ShardStore, live: Map<string, Float32Array>): void {
  expect(store.count()).toBe(live.size);
  for (const [id, vector] of live) {
    const top = store.search(vector, 1, both)[0]!;
    expect(top.score).toBe(0);
    expect(live.get(top.id)).toEqual(vector);
    if (top.id === id) expect(top.vector).toEqual(vector);
  }
  const all = store.search(new Float32Array(8), live.size + 50, { payload: false, vector: true });
  expect(all.length).toBe(live.size);
  for (const hit of all) expect(hit.vector).toEqual(live.get(hit.id)!);
}

describe("restart", () => {
  test("close and reopen loads the saved index, with no catch-up", () => {
    const { options, live } = savedStore();
    const store = openShardStore(options);
    cleanups.unshift(() => store.close());
    expect(store.openInfo).toEqual({ loadedIndex: true, caughtUp: 0, rebuilt: false });
    expect(store.lastSeq()).toBe(300);
    expect(store.get(["p7"], both)).toEqual([{ id: "p7", payload: '{"i":7}', vector: live.get("p7")! }]);
    expectIndexMatches(store, live);
  });

  test("writes after the last save are caught up, not rebuilt, when the process dies without close", () => {
    const { options, live } = savedStore();
    const abandoned = openShardStore(options);
    changeAfterSave(abandoned, live);
    // `abandoned` is never closed: its in-memory index is lost, as in kill -9.
    const store = openShardStore(options);
    cleanups.unshift(() => store.close());
    // 20 updates: 20 removals + 20 adds; 15 deletes: 15 removals; 10 inserts: 10 adds.
    expect(store.openInfo).toEqual({ loadedIndex: true, caughtUp: 65, rebuilt: false });
    expectIndexMatches(store, live);
  });

  test("a save prunes the superseded keys it covers, and reopening after it needs no catch-up", () => {
    const { options, live } = savedStore();
    const store = openShardStore(options);
    changeAfterSave(store, live);
    const db = openDatabase(join(options.dir, "shard.sqlite"));
    const count = () => (db.query("SELECT count(*) AS n FROM superseded").get() as { n: number }).n;
    expect(count()).toBe(35);
    store.saveIndex();
    expect(count()).toBe(0);
    db.close();
    store.close();
    const again = openShardStore(options);
    cleanups.unshift(() => again.close());
    expect(again.openInfo).toEqual({ loadedIndex: true, caughtUp: 0, rebuilt: false });
    expectIndexMatches(again, live);
  });

  test("a corrupt or truncated index file is never loaded: the index is rebuilt from the rows", () => {
    const { options, live } = savedStore();
    const path = indexFilePath(options.dir);
    const bytes = readFileSync(path);
    bytes[bytes.length >> 1]! ^= 0xff;
    writeFileSync(path, bytes);
    let store = openShardStore(options);
    expect(store.openInfo).toMatchObject({ loadedIndex: false, rebuilt: true });
    expect(store.openInfo.rebuildReason).toContain("checksum");
    expectIndexMatches(store, live);
    store.close();
    // The rebuilt index was saved: the next open loads it.
    store = openShardStore(options);
    expect(store.openInfo.loadedIndex).toBe(true);
    store.close();
    truncateSync(path, 100);
    store = openShardStore(options);
    cleanups.unshift(() => store.close());
    expect(store.openInfo.rebuilt).toBe(true);
    expectIndexMatches(store, live);
  });

  test("changing connectivity rebuilds the index with the new setting", () => {
    const { options, live } = savedStore();
    const store = openShardStore({ ...options, connectivity: 8 });
    cleanups.unshift(() => store.close());
    expect(store.openInfo.rebuilt).toBe(true);
    expect(store.openInfo.rebuildReason).toContain('"connectivity":16');
    expectIndexMatches(store, live);
  });

  test("a missing index file is rebuilt; a leftover temporary file is ignored", () => {
    const { options, live } = savedStore();
    writeFileSync(join(options.dir, "index.usearch.tmp"), "half-written");
    const first = openShardStore(options);
    expect(first.openInfo.loadedIndex).toBe(true);
    expect(existsSync(join(options.dir, "index.usearch.tmp"))).toBe(false);
    first.close();
    writeFileSync(indexFilePath(options.dir), "");
    const store = openShardStore(options);
    cleanups.unshift(() => store.close());
    expect(store.openInfo.rebuilt).toBe(true);
    expectIndexMatches(store, live);
  });
});

describe("crash windows inside saveIndex", () => {
  /**
   * Reproduces the on-disk state of a save interrupted at a given step, by running the
   * save's steps on a second connection: the index written reflects the changes made
   * after the last completed save.
   */
  function interruptedSave(step: "after-record" | "after-rename"): { options: ShardStoreOptions; live: Map<string, Float32Array> } {
    const { options, live } = savedStore();
    const abandoned = openShardStore(options);
    changeAfterSave(abandoned, live);
    const db = openDatabase(join(options.dir, "shard.sqlite"));
    const statements = prepareStatements(db);
    const settings = { dimension: 8, metric: "euclidean" as const, connectivity: 16, expansionAdd: 128, expansionSearch: 64 };
    const index = createIndex(settings);
    catchUpIndex(index, statements, 0, 8);
    const checksum = writeIndexFile(options.dir, index);
    statements.recordIndexFile.run(checksum, abandoned.lastSeq(), identityJson(settings));
    if (step === "after-rename") publishIndexFile(options.dir);
    db.close();
    return { options, live };
  }

  test("killed after recording the new file but before the rename: the old file is caught up", () => {
    const { options, live } = interruptedSave("after-record");
    const store = openShardStore(options);
    cleanups.unshift(() => store.close());
    expect(store.openInfo).toEqual({ loadedIndex: true, caughtUp: 65, rebuilt: false });
    expectIndexMatches(store, live);
  });

  test("killed after the rename but before pruning: the new file loads and catch-up is a no-op", () => {
    const { options, live } = interruptedSave("after-rename");
    const store = openShardStore(options);
    cleanups.unshift(() => store.close());
    expect(store.openInfo).toEqual({ loadedIndex: true, caughtUp: 0, rebuilt: false });
    expectIndexMatches(store, live);
  });
});
