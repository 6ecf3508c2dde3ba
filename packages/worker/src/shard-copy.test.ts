import { expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { streamShardCopy } from "./shard-copy-stream";
import { shardCopiesDirOf } from "./shard-copy";
import { ShardThreadPool } from "./shard-thread-pool";
import { makeTempDir } from "./test-shard";
import { startWorkerNode } from "./worker-node";

const key = "5e0c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d/0";
/** Ids every batch rewrites, and ids each batch adds. */
const FIXED = 50;
const ADDED = 20;

/** Batch `b`: every fixed id gets marker b, and b adds ids of its own, all in one request. */
function batch(b: number) {
  const point = (id: string) => ({ id, vector: new Float32Array([b, FIXED]), payload: JSON.stringify({ batch: b }) });
  return [
    ...Array.from({ length: FIXED }, (_, i) => point(`fixed-${i}`)),
    ...Array.from({ length: ADDED }, (_, i) => point(`added-${b}-${i}`)),
  ];
}

/** Checks a copy holds exactly the state after some whole batch M: never part of one. */
function checkConsistent(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    expect(db.query("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
    const rows = db.query<{ id: string; payload: string }, []>("SELECT id, payload FROM points WHERE vector IS NOT NULL").all();
    const markers = rows.map((row) => ({ id: row.id, batch: (JSON.parse(row.payload) as { batch: number }).batch }));
    const fixed = markers.filter((m) => m.id.startsWith("fixed-"));
    expect(fixed).toHaveLength(FIXED);
    const last = fixed[0]!.batch;
    expect(fixed.every((m) => m.batch === last)).toBe(true);
    // Batches 0..last each wholly present, none after.
    expect(rows.length).toBe(FIXED + (last + 1) * ADDED);
    const counted = db.query<{ live_count: number }, []>("SELECT live_count FROM shard").get()!;
    expect(counted.live_count).toBe(rows.length);
    return last;
  } finally {
    db.close();
  }
}

test("copies taken while a writer keeps writing are each one committed state, whole batches only", async () => {
  const { dir, cleanup } = makeTempDir();
  const { pool } = await ShardThreadPool.start({ dataDir: dir, threads: 1, log: () => {} });
  try {
    await pool.open(key, { dimension: 2, metric: "euclidean" }, []);
    await pool.apply(key, batch(0), []);
    let stop = false;
    let written = 1;
    const writer = (async () => {
      while (!stop) {
        // Two batches in flight at once: group commit merges them into one transaction.
        await Promise.all([pool.apply(key, batch(written), []), pool.apply(key, batch(written + 1), [])]);
        written += 2;
      }
    })();
    const seen: number[] = [];
    for (let i = 0; i < 12; i++) {
      const copy = await pool.copy(key);
      expect(copy.path.startsWith(shardCopiesDirOf(dir))).toBe(true);
      const last = checkConsistent(copy.path);
      expect(copy.count).toBe(FIXED + (last + 1) * ADDED);
      seen.push(last);
      await Bun.sleep(5);
    }
    stop = true;
    await writer;
    // The copies saw the writer move on, not one frozen state.
    expect(new Set(seen).size).toBeGreaterThan(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  } finally {
    await pool.closeAll();
    cleanup();
  }
}, 60_000);

test("a streamed copy is the file, in chunks, and is deleted once streamed or abandoned", async () => {
  const { dir, cleanup } = makeTempDir();
  const { pool } = await ShardThreadPool.start({ dataDir: dir, threads: 1, log: () => {} });
  try {
    await pool.open(key, { dimension: 2, metric: "euclidean" }, []);
    await pool.apply(key, batch(0), []);
    const copy = await pool.copy(key);
    const original = readFileSync(copy.path);
    const chunks = [];
    for await (const chunk of streamShardCopy(copy, 4096)) chunks.push(chunk);
    expect(chunks.length).toBe(Math.ceil(copy.bytes / 4096));
    expect(chunks.every((c) => c.totalBytes === BigInt(copy.bytes) && c.pointCount === BigInt(FIXED + ADDED))).toBe(true);
    expect(Buffer.concat(chunks.map((c) => c.data)).equals(original)).toBe(true);
    expect(existsSync(copy.path)).toBe(false);

    const abandoned = await pool.copy(key);
    for await (const _ of streamShardCopy(abandoned, 4096)) break;
    expect(readdirSync(shardCopiesDirOf(dir))).toEqual([]);
  } finally {
    await pool.closeAll();
    cleanup();
  }
}, 60_000);

test("copies left by a crash are removed when the worker starts", async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    mkdirSync(shardCopiesDirOf(dir), { recursive: true });
    writeFileSync(join(shardCopiesDirOf(dir), "left-over.sqlite"), "x");
    const node = await startWorkerNode({ workerId: "w1", address: "http://127.0.0.1:1", dataDir: dir, shardThreads: 0 });
    expect(existsSync(shardCopiesDirOf(dir))).toBe(false);
    await node.close();
  } finally {
    cleanup();
  }
});
