import { afterEach, expect, test } from "bun:test";
import { openShardStore, ShardStoreError, type Change, type ShardStore } from "./index";
import { makeTempDir } from "./test-fixtures";

/** applyChanges' refusals, clear() and digest() (the convergence property is in apply-changes.property.test.ts). */

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function open(dir = tempDir()): { store: ShardStore; dir: string } {
  return { store: openShardStore({ dir, dimension: 2, metric: "dot" }), dir };
}

function tempDir(): string {
  const temp = makeTempDir();
  cleanups.push(temp.cleanup);
  return temp.dir;
}

const upsert = (seq: number, id: string, x: number, payload = "{}"): Change => ({
  seq,
  id,
  deleted: false,
  vector: new Float32Array([x, 1]),
  payload,
});

test("a bad page of changes is refused whole, with nothing written", () => {
  const { store } = open();
  store.applyChanges([upsert(3, "a", 1)], 5);
  const bad: [Change[], number, string][] = [
    [[upsert(5, "b", 1)], 6, "sequence 5"], // not after last_seq 5
    [[upsert(7, "b", 1), upsert(6, "c", 1)], 9, "sequence 6"], // out of order
    [[], 4, "before the store's last sequence"], // through_seq behind last_seq
    [[upsert(9, "b", 1)], 8, "sequence 9"], // past through_seq
    [[upsert(6, "b", 1), { seq: 7, id: "b", deleted: true }], 8, "appears twice"],
    [[{ ...upsert(6, "b", 1), vector: new Float32Array(3) } as Change], 8, "3 dimensions"],
  ];
  for (const [changes, through, message] of bad) {
    let error: unknown;
    try {
      store.applyChanges(changes, through);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ShardStoreError);
    expect(error).toMatchObject({ code: "ERR_INVALID_CHANGES", message: expect.stringContaining(message) });
  }
  expect(store.lastSeq()).toBe(5);
  expect(store.changesSince(0, 10).map((c) => c.id)).toEqual(["a"]);
  store.close();
});

test("a tombstone deletes a live point, and one for an unknown id is kept for the log", () => {
  const { store } = open();
  store.applyChanges([upsert(1, "a", 1), upsert(2, "b", 2)], 2);
  store.applyChanges([{ seq: 4, id: "a", deleted: true }, { seq: 6, id: "never", deleted: true }], 9);
  expect(store.count()).toBe(1);
  expect(store.get(["a", "b"], { payload: false, vector: false })).toEqual([{ id: "b" }]);
  expect(store.search(new Float32Array([1, 1]), 5, { payload: false, vector: false }).map((h) => h.id)).toEqual(["b"]);
  expect(store.changesSince(2, 10)).toEqual([
    { seq: 4, id: "a", deleted: true },
    { seq: 6, id: "never", deleted: true },
  ]);
  expect(store.lastSeq()).toBe(9);
  store.close();
});

test("clear empties the store durably, keeps payload index declarations, and a copy from scratch then converges", () => {
  const source = open().store;
  source.apply([{ id: "x", vector: new Float32Array([1, 2]), payload: '{"k":"v"}' }, { id: "y", vector: new Float32Array([3, 4]), payload: "{}" }], ["y"]);
  let { store, dir } = open();
  store.createPayloadIndex("k", "keyword");
  store.apply([{ id: "old", vector: new Float32Array([5, 5]), payload: '{"k":"v"}' }], []);
  store.saveIndex(); // a saved index of the old rows must never come back
  store.clear();
  expect(store.lastSeq()).toBe(0);
  expect(store.count()).toBe(0);
  expect(store.changesSince(0, 10)).toEqual([]);
  store.close();

  store = openShardStore({ dir, dimension: 2, metric: "dot" });
  expect(store.lastSeq()).toBe(0);
  expect(store.count()).toBe(0);
  expect(store.search(new Float32Array([1, 1]), 5, { payload: false, vector: false })).toEqual([]);
  expect(store.payloadIndexes()).toEqual([{ key: "k", kind: "keyword" }]);

  store.applyChanges(source.changesSince(0, 10), source.lastSeq());
  expect(store.digest()).toBe(source.digest());
  expect(store.count({ must: [{ key: "k", path: ["k"], test: { kind: "equals", values: ["v"] } }], should: [], mustNot: [] })).toBe(1);
  expect(store.search(new Float32Array([1, 1]), 5, { payload: false, vector: false }).map((h) => h.id)).toEqual(["x"]);
  store.close();
  source.close();
});

test("clear voids an index rebuild that was running", () => {
  const { store } = open();
  store.apply([{ id: "a", vector: new Float32Array([1, 1]), payload: "{}" }], []);
  const rebuild = store.startIndexRebuild();
  store.clear();
  expect(() => rebuild.step(10)).toThrow(ShardStoreError);
  rebuild.abandon();
  store.apply([{ id: "b", vector: new Float32Array([2, 1]), payload: "{}" }], []);
  expect(store.search(new Float32Array([1, 1]), 5, { payload: false, vector: false }).map((h) => h.id)).toEqual(["b"]);
  // A new rebuild may start once the voided one is gone.
  const next = store.startIndexRebuild();
  while (!next.step(10));
  next.finish();
  expect(store.search(new Float32Array([1, 1]), 5, { payload: false, vector: false }).map((h) => h.id)).toEqual(["b"]);
  store.close();
});

test("the digest depends on content only: ids, vectors and payloads, not sequence numbers or history", () => {
  const a = open().store;
  const b = open().store;
  a.apply([{ id: "p", vector: new Float32Array([1, 2]), payload: '{"n":1}' }, { id: "q", vector: new Float32Array([3, 4]), payload: "{}" }], []);
  b.apply([{ id: "q", vector: new Float32Array([0, 0]), payload: "{}" }], []);
  b.apply([{ id: "gone", vector: new Float32Array([1, 1]), payload: "{}" }], []);
  b.apply([{ id: "p", vector: new Float32Array([1, 2]), payload: '{"n":1}' }, { id: "q", vector: new Float32Array([3, 4]), payload: "{}" }], ["gone"]);
  expect(b.lastSeq()).not.toBe(a.lastSeq());
  expect(b.digest()).toBe(a.digest());
  expect(a.digest()).toMatch(/^[0-9a-f]{64}$/);
  const before = a.digest();
  a.apply([{ id: "p", vector: new Float32Array([1, 2]), payload: '{"n":2}' }], []);
  expect(a.digest()).not.toBe(before);
  const afterPayload = a.digest();
  a.apply([{ id: "p", vector: new Float32Array([1, 2.5]), payload: '{"n":2}' }], []);
  expect(a.digest()).not.toBe(afterPayload);
  // Length prefixes: moving a byte from the id to the payload changes the digest.
  const c = open().store;
  const d = open().store;
  c.apply([{ id: "ab", vector: new Float32Array([1, 1]), payload: "{}" }], []);
  d.apply([{ id: "a", vector: new Float32Array([1, 1]), payload: "{}" }], []);
  expect(c.digest()).not.toBe(d.digest());
  for (const store of [a, b, c, d]) store.close();
});
