import { afterEach, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { openShardStore, ShardStoreError, type ShardStore, type ShardStoreOptions } from "./index";
import { makeTempDir, randomVector, seededRandom } from "./test-fixtures";

const both = { payload: true, vector: true };
const idsOnly = { payload: false, vector: false };
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function open(overrides: Partial<ShardStoreOptions> = {}): { store: ShardStore; options: ShardStoreOptions } {
  const { dir, cleanup } = makeTempDir();
  cleanups.push(cleanup);
  const options: ShardStoreOptions = { dir, dimension: 4, metric: "euclidean", ...overrides };
  const store = openShardStore(options);
  cleanups.unshift(() => store.close());
  return { store, options };
}

const v = (...values: number[]) => new Float32Array(values);

describe("shard store round trips", () => {
  test("get returns payload text verbatim and vectors bit for bit, in the order asked", () => {
    const { store } = open();
    // Values that a float64 round trip or JSON re-serialisation would alter.
    const odd = v(Math.fround(0.1), -0, 3.4028234663852886e38, 1.401298464324817e-45);
    const payload = '{ "b":1,"a" : [1.50, "é\\u00e9"],"z":null }';
    const result = store.apply(
      [
        { id: "p1", vector: odd, payload },
        { id: "p2", vector: v(1, 2, 3, 4), payload: "{}" },
      ],
      [],
    );
    expect(result).toEqual({ lastSeq: 2, upserted: 2, deleted: 0 });
    const points = store.get(["p2", "missing", "p1", "p2"], both);
    expect(points.map((p) => p.id)).toEqual(["p2", "p1"]);
    expect(points[1]!.payload).toBe(payload);
    expect(new Uint8Array(points[1]!.vector!.buffer, points[1]!.vector!.byteOffset, 16)).toEqual(
      new Uint8Array(odd.buffer),
    );
    expect(Object.is(points[1]!.vector![1], -0)).toBe(true);
    expect(store.get(["p1"], idsOnly)).toEqual([{ id: "p1" }]);
    expect(store.get(["p1"], { payload: true, vector: false })).toEqual([{ id: "p1", payload }]);
    expect(store.count()).toBe(2);
  });

  test("the last occurrence of an id in a batch wins, and counts once", () => {
    const { store } = open();
    const result = store.apply(
      [
        { id: "a", vector: v(1, 1, 1, 1), payload: '{"n":1}' },
        { id: "a", vector: v(2, 2, 2, 2), payload: '{"n":2}' },
      ],
      [],
    );
    expect(result).toEqual({ lastSeq: 1, upserted: 1, deleted: 0 });
    expect(store.get(["a"], both)).toEqual([{ id: "a", payload: '{"n":2}', vector: v(2, 2, 2, 2) }]);
    expect(store.search(v(1, 1, 1, 1), 10, idsOnly).map((h) => h.id)).toEqual(["a"]);
  });

  test("deletes count only points that existed; an id upserted and deleted in one batch ends deleted", () => {
    const { store } = open();
    store.apply([{ id: "a", vector: v(0, 0, 0, 1), payload: "{}" }, { id: "b", vector: v(0, 0, 1, 0), payload: "{}" }], []);
    expect(store.apply([], ["a", "a", "nope"])).toEqual({ lastSeq: 3, upserted: 0, deleted: 1 });
    expect(store.apply([], ["a"])).toEqual({ lastSeq: 3, upserted: 0, deleted: 0 });
    expect(store.apply([{ id: "c", vector: v(1, 0, 0, 0), payload: "{}" }], ["c", "b"])).toEqual({
      lastSeq: 6,
      upserted: 1,
      deleted: 2,
    });
    expect(store.count()).toBe(0);
    expect(store.get(["a", "b", "c"], both)).toEqual([]);
    expect(store.search(v(1, 0, 0, 0), 10, both)).toEqual([]);
    expect(store.scroll("", 10, both)).toEqual([]);
  });

  test("sequences increase by one per change and are never reused after deletes", () => {
    const { store } = open();
    expect(store.lastSeq()).toBe(0);
    store.apply([{ id: "a", vector: v(1, 0, 0, 0), payload: "{}" }], []);
    store.apply([], ["a"]);
    expect(store.apply([{ id: "a", vector: v(0, 1, 0, 0), payload: "{}" }], []).lastSeq).toBe(3);
    expect(store.lastSeq()).toBe(3);
  });

  test("changesSince reports the newest version of each id, tombstones included, in seq order", () => {
    const { store } = open();
    store.apply([{ id: "a", vector: v(1, 0, 0, 0), payload: '{"a":1}' }, { id: "b", vector: v(0, 1, 0, 0), payload: "{}" }], []);
    store.apply([{ id: "a", vector: v(1, 1, 0, 0), payload: '{"a":2}' }], ["b"]);
    expect(store.changesSince(0, 10)).toEqual([
      { seq: 3, id: "a", deleted: false, vector: v(1, 1, 0, 0), payload: '{"a":2}' },
      { seq: 4, id: "b", deleted: true },
    ]);
    expect(store.changesSince(3, 10)).toEqual([{ seq: 4, id: "b", deleted: true }]);
    expect(store.changesSince(0, 1).map((c) => c.seq)).toEqual([3]);
    expect(store.changesSince(4, 10)).toEqual([]);
  });

  test("scroll pages through live ids in UTF-8 byte order", () => {
    const { store } = open();
    // UTF-16 code-unit order would put the emoji (a surrogate pair, 0xD83D...) before
    // U+FF61; UTF-8 byte order puts it after (F0 > EF).
    const ids = ["b", "a", "\uFF61", "😀", "é", "Z", "a0", "gone"];
    store.apply(ids.map((id, i) => ({ id, vector: v(i, 0, 0, 0), payload: `{"i":${i}}` })), ["gone"]);
    const expected = ["Z", "a", "a0", "b", "é", "\uFF61", "😀"];
    const seen: string[] = [];
    let after = "";
    for (;;) {
      const page = store.scroll(after, 3, { payload: true, vector: false });
      if (page.length === 0) break;
      for (const point of page) expect(point.payload).toBe(`{"i":${ids.indexOf(point.id)}}`);
      seen.push(...page.map((p) => p.id));
      after = page[page.length - 1]!.id;
    }
    expect(seen).toEqual(expected);
    expect(store.scroll("a", 2, both)).toEqual([
      { id: "a0", payload: '{"i":6}', vector: v(6, 0, 0, 0) },
      { id: "b", payload: '{"i":0}', vector: v(0, 0, 0, 0) },
    ]);
  });

  test("an updated point is found by its new vector, never its old one", () => {
    const { store } = open({ dimension: 8 });
    const random = seededRandom(7);
    const points = Array.from({ length: 200 }, (_, i) => ({ id: `p${i}`, vector: randomVector(random, 8), payload: "{}" }));
    store.apply(points, []);
    const moved = points[0]!.vector;
    store.apply([{ id: "p0", vector: v(9, 9, 9, 9, 9, 9, 9, 9), payload: '{"moved":true}' }], []);
    const hits = store.search(moved, 5, both);
    for (const hit of hits) {
      if (hit.id === "p0") expect(hit.vector).toEqual(v(9, 9, 9, 9, 9, 9, 9, 9));
    }
    expect(hits[0]!.id).not.toBe("p0");
    expect(store.search(v(9, 9, 9, 9, 9, 9, 9, 9), 1, both)[0]).toMatchObject({ id: "p0", score: 0, payload: '{"moved":true}' });
    expect(store.count()).toBe(200);
  });

  test("a vector of the wrong length is rejected before anything is written", () => {
    const { store } = open();
    const bad = [{ id: "ok", vector: v(1, 2, 3, 4), payload: "{}" }, { id: "bad", vector: v(1, 2, 3), payload: "{}" }];
    expect(() => store.apply(bad, [])).toThrow(expect.objectContaining({ code: "ERR_DIMENSION_MISMATCH" }));
    expect(store.lastSeq()).toBe(0);
    expect(store.get(["ok"], idsOnly)).toEqual([]);
    expect(() => store.search(v(1, 2), 3, idsOnly)).toThrow(ShardStoreError);
  });

  test("reopening with another dimension or metric is refused; bad options fail early", () => {
    const { store, options } = open();
    store.close();
    expect(() => openShardStore({ ...options, dimension: 5 })).toThrow(expect.objectContaining({ code: "ERR_CONFIG_MISMATCH" }));
    expect(() => openShardStore({ ...options, metric: "dot" })).toThrow(expect.objectContaining({ code: "ERR_CONFIG_MISMATCH" }));
    expect(() => openShardStore({ ...options, dimension: 0 })).toThrow(expect.objectContaining({ code: "ERR_INVALID_OPTIONS" }));
    expect(() => openShardStore({ ...options, metric: "l2" as never })).toThrow(expect.objectContaining({ code: "ERR_INVALID_OPTIONS" }));
  });

  test("a closed store refuses calls; drop deletes the directory", () => {
    const { store, options } = open();
    store.apply([{ id: "a", vector: v(1, 2, 3, 4), payload: "{}" }], []);
    store.close();
    store.close();
    expect(() => store.count()).toThrow(expect.objectContaining({ code: "ERR_SHARD_CLOSED" }));
    const again = openShardStore(options);
    expect(again.count()).toBe(1);
    again.drop();
    expect(existsSync(options.dir)).toBe(false);
  });

  test("search with k beyond the point count, k = 0, or an empty store", () => {
    const { store } = open();
    expect(store.search(v(1, 2, 3, 4), 10, both)).toEqual([]);
    store.apply([{ id: "a", vector: v(1, 2, 3, 4), payload: "{}" }, { id: "b", vector: v(1, 2, 3, 5), payload: "{}" }], []);
    expect(store.search(v(1, 2, 3, 4), 0, both)).toEqual([]);
    expect(store.search(v(1, 2, 3, 4), 1000, idsOnly)).toEqual([
      { id: "a", score: 0 },
      { id: "b", score: 1 },
    ]);
  });
});
