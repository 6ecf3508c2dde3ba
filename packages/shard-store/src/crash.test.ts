import { afterEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { crashDimension, crashModel, selfKillBatches } from "./crash-child";
import { openShardStore, type PointInput, type ShardStore } from "./index";
import { makeTempDir } from "./test-fixtures";

const child = join(import.meta.dir, "crash-child.ts");
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function reopen(dir: string): ShardStore {
  const store = openShardStore({ dir, dimension: crashDimension, metric: "euclidean" });
  cleanups.unshift(() => store.close());
  return store;
}

/** The store holds exactly `live`: reads, count, and search (no stale or deleted ids). */
function expectStoreEquals(store: ShardStore, live: Map<string, PointInput>): void {
  expect(store.count()).toBe(live.size);
  const scrolled = store.scroll("", 1000, { payload: true, vector: true });
  const expected = [...live.values()].sort((a, b) => Buffer.compare(Buffer.from(a.id), Buffer.from(b.id)));
  expect(scrolled).toEqual(expected.map((p) => ({ id: p.id, payload: p.payload, vector: p.vector })));
  for (const point of live.values()) {
    const top = store.search(point.vector, 1, { payload: true, vector: true })[0]!;
    expect(top).toEqual({ id: point.id, score: 0, payload: point.payload, vector: point.vector });
  }
  const everything = store.search(new Float32Array(crashDimension), 1000, { payload: false, vector: true });
  expect(everything.length).toBe(live.size);
  for (const hit of everything) expect(hit.vector).toEqual(live.get(hit.id)!.vector);
}

describe("kill -9", () => {
  test("every committed batch survives, including those after the last saveIndex", async () => {
    const { dir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    const proc = Bun.spawn([process.execPath, child, dir, "self-kill"], { stdout: "inherit", stderr: "inherit" });
    await proc.exited;
    expect(proc.signalCode).toBe("SIGKILL");
    const store = reopen(dir);
    const model = crashModel(selfKillBatches);
    expect(store.lastSeq()).toBe(model.lastSeq);
    // Loaded the index saved after batch 10 and replayed batches 11..20 into it.
    expect(store.openInfo.loadedIndex).toBe(true);
    expect(store.openInfo.caughtUp).toBeGreaterThan(0);
    expectStoreEquals(store, model.live);
  });

  test("a process killed at an arbitrary moment keeps every acknowledged batch", async () => {
    const { dir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    const proc = Bun.spawn([process.execPath, child, dir, "endless"], { stdout: "pipe", stderr: "inherit" });
    let acknowledged = 0;
    let text = "";
    const decoder = new TextDecoder();
    for await (const chunk of proc.stdout) {
      text += decoder.decode(chunk);
      const acks = text.match(/ack (\d+)\n/g);
      acknowledged = acks ? Number(acks[acks.length - 1]!.slice(4, -1)) : 0;
      if (acknowledged >= 30) break;
    }
    proc.kill("SIGKILL");
    await proc.exited;
    expect(proc.signalCode).toBe("SIGKILL");
    const store = reopen(dir);
    // The child may have committed more batches than we read acks for: find which.
    let batches = acknowledged;
    while (crashModel(batches).lastSeq < store.lastSeq()) batches++;
    const model = crashModel(batches);
    expect(model.lastSeq).toBe(store.lastSeq());
    expect(store.openInfo.rebuilt).toBe(false);
    expectStoreEquals(store, model.live);
  });
});
