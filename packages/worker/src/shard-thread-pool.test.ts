import { expect, test } from "bun:test";
import { VectronError } from "@vectron/rpc-errors";
import { ShardThreadPool } from "./shard-thread-pool";
import { makeTempDir } from "./test-shard";

const collection = "0b5c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d";
const keys = Array.from({ length: 6 }, (_, i) => `${collection}/${i}`);
const options = { payload: true, vector: true };

test("shards spread over threads keep their data across a restart, and errors keep their codes", async () => {
  const { dir, cleanup } = makeTempDir();
  const logs: string[] = [];
  try {
    let { pool, reopened } = await ShardThreadPool.start({ dataDir: dir, threads: 2, log: (m) => logs.push(m) });
    expect(reopened).toBe(0);
    for (const [i, key] of keys.entries()) {
      await pool.open(key, { dimension: 2, metric: "euclidean" }, []);
      await pool.apply(key, [{ id: `p${i}`, vector: new Float32Array([i, 1]), payload: `{"i":${i}}` }], []);
    }
    const wrong = await pool.apply(keys[0]!, [{ id: "x", vector: new Float32Array(3), payload: "{}" }], []).catch((e) => e);
    expect(wrong).toBeInstanceOf(VectronError);
    expect(wrong).toMatchObject({ code: "invalid_argument", message: expect.stringContaining("upserts[0].vector") });
    const missing = await pool.count(`${collection}/99`).catch((e) => e);
    expect(missing).toMatchObject({ code: "not_found" });
    await pool.closeAll();

    ({ pool, reopened } = await ShardThreadPool.start({ dataDir: dir, threads: 2, log: (m) => logs.push(m) }));
    expect(reopened).toBe(6);
    expect(logs.filter((m) => m.includes("loaded saved index"))).toHaveLength(6);
    for (const [i, key] of keys.entries()) {
      expect(await pool.get(key, [`p${i}`], options)).toEqual([{ id: `p${i}`, vector: new Float32Array([i, 1]), payload: `{"i":${i}}` }]);
      const [hits] = await pool.searchBatch(key, new Float32Array([i, 1, 0, 0]), 1, options, 0);
      expect(hits!.map((h) => h.id)).toEqual([`p${i}`]);
    }
    await pool.closeAll();
  } finally {
    cleanup();
  }
});

test("many concurrent writes to one shard through the pool share transactions and all land", async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const { pool } = await ShardThreadPool.start({ dataDir: dir, threads: 2, log: () => {} });
    await pool.open(keys[0]!, { dimension: 2, metric: "dot" }, []);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => pool.apply(keys[0]!, [{ id: `w${i}`, vector: new Float32Array([1, i]), payload: "{}" }], [])),
    );
    expect(results.every((r) => r.upserted === 1)).toBe(true);
    expect(new Set(results.map((r) => r.lastSeq)).size).toBeLessThan(200);
    expect(await pool.count(keys[0]!)).toBe(200);
    await pool.closeAll();
  } finally {
    cleanup();
  }
});

test("a shard whose index carries many leftovers is compacted in the background, reads and writes going on", async () => {
  const { dir, cleanup } = makeTempDir();
  const logs: string[] = [];
  try {
    const { pool } = await ShardThreadPool.start({ dataDir: dir, threads: 1, log: (m) => logs.push(m) });
    const key = keys[0]!;
    await pool.open(key, { dimension: 4, metric: "euclidean" }, []);
    const point = (i: number) => ({ id: `c${i}`, vector: new Float32Array([i, i % 7, i % 11, 1]), payload: `{"i":${i}}` });
    await pool.apply(key, Array.from({ length: 3000 }, (_, i) => point(i)), []);
    // Delete 40% of the points: past the 30% threshold, so a compaction starts.
    await pool.apply(key, [], Array.from({ length: 1200 }, (_, i) => `c${i}`));
    // Meanwhile: searches and writes still answer, and what they see is right.
    const during = await pool.search(key, new Float32Array([2500, 2500 % 7, 2500 % 11, 1]), 1, options, 0);
    expect(during[0]?.id).toBe("c2500");
    await pool.apply(key, [point(5000)], ["c2999"]);
    for (let i = 0; i < 50 && !logs.some((m) => m.includes("compacted")); i++) await Bun.sleep(20);
    expect(logs.some((m) => m.includes("compacted its index (40% leftovers)"))).toBe(true);
    expect(await pool.count(key)).toBe(1800);
    const after = await pool.search(key, new Float32Array([5000, 5000 % 7, 5000 % 11, 1]), 1, options, 0);
    expect(after[0]?.id).toBe("c5000");
    const gone = await pool.search(key, new Float32Array([10, 3, 10, 1]), 5, options, 0);
    for (const hit of gone) expect(Number(hit.id.slice(1))).toBeGreaterThanOrEqual(1200);
    await pool.closeAll();
  } finally {
    cleanup();
  }
});

test("opening a shard brings its payload indexes to placement's list: missing ones built, stale ones dropped", async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const { pool } = await ShardThreadPool.start({ dataDir: dir, threads: 1, log: () => {} });
    const key = keys[0]!;
    await pool.open(key, { dimension: 2, metric: "dot" }, [{ key: "a", kind: "keyword" }, { key: "b", kind: "integer" }]);
    await pool.apply(key, [{ id: "x", vector: new Float32Array([1, 2]), payload: '{"a":"v","b":3}' }], []);
    await pool.open(key, { dimension: 2, metric: "dot" }, [{ key: "b", kind: "float" }, { key: "c", kind: "bool" }]);
    const filter = { must: [{ path: ["b"], key: "b", test: { kind: "equals" as const, values: [3] } }], should: [], mustNot: [] };
    expect(await pool.count(key, filter)).toBe(1);
    await pool.closeAll();
    const { openShardStore } = await import("@vectron/shard-store");
    const store = openShardStore({ dir: `${dir}/shards/${key}`, dimension: 2, metric: "dot" });
    expect(store.payloadIndexes()).toEqual([{ key: "b", kind: "float" }, { key: "c", kind: "bool" }]);
    store.close();
  } finally {
    cleanup();
  }
});
