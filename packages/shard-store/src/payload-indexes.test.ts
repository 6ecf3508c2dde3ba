import { Database } from "bun:sqlite";
import { afterEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { matchesPayload, type ConditionTest, type FilterCondition, type PayloadFilter } from "@vectron/payload-filter";
import { planFilter } from "./filter-plan";
import { openShardStore, ShardStoreError, type PayloadIndexInfo, type PayloadIndexKind, type ShardStore } from "./index";
import { modelEntries, storedEntries } from "./payload-index-fixtures";
import { PayloadIndexes } from "./payload-indexes";
import { openDatabase } from "./shard-database";
import { makeTempDir } from "./test-fixtures";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function tempStore(): { store: ShardStore; dir: string; reopen: () => ShardStore } {
  const temp = makeTempDir("payload-index-");
  const options = { dir: temp.dir, dimension: 2, metric: "euclidean" as const };
  const opened = { store: openShardStore(options) };
  cleanups.push(() => {
    opened.store.close();
    temp.cleanup();
  });
  const reopen = () => {
    opened.store.close();
    return (opened.store = openShardStore(options));
  };
  return { store: opened.store, dir: temp.dir, reopen };
}

const point = (id: string, payload: unknown, x = 0) => ({ id, vector: Float32Array.of(x, 1), payload: JSON.stringify(payload) });
const condition = (key: string, test: ConditionTest): FilterCondition => ({ key, path: key.split("."), test });
const must = (...conditions: FilterCondition[]): PayloadFilter => ({ must: conditions, should: [], mustNot: [] });
const equals = (key: string, ...values: (string | number | boolean)[]) => condition(key, { kind: "equals", values });
const ids = (store: ShardStore, filter: PayloadFilter) => store.scroll("", 1000, { payload: false, vector: false }, filter).map((p) => p.id);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof ShardStoreError) return error.code;
    throw error;
  }
  return undefined;
}

describe("declaring payload indexes", () => {
  test("create, list, persist and drop; the same declaration again is a no-op, another kind replaces", () => {
    const { store, reopen } = tempStore();
    expect(store.payloadIndexes()).toEqual([]);
    expect(store.createPayloadIndex("tag", "keyword")).toBe(true);
    expect(store.createPayloadIndex("meta.size", "integer")).toBe(true);
    expect(store.createPayloadIndex("tag", "keyword")).toBe(false);
    const reopened = reopen();
    expect(reopened.payloadIndexes()).toEqual([
      { key: "meta.size", kind: "integer" },
      { key: "tag", kind: "keyword" },
    ]);
    expect(reopened.createPayloadIndex("meta.size", "float")).toBe(true);
    expect(reopened.dropPayloadIndex("tag")).toBe(true);
    expect(reopened.dropPayloadIndex("tag")).toBe(false);
    expect(reopen().payloadIndexes()).toEqual([{ key: "meta.size", kind: "float" }]);
  });

  test("bad keys and kinds are ERR_INVALID_PAYLOAD_INDEX; more than 32 indexes is ERR_PAYLOAD_INDEX_LIMIT", () => {
    const { store } = tempStore();
    const create = (key: unknown, kind: unknown) => () => store.createPayloadIndex(key as string, kind as PayloadIndexKind);
    for (const [key, kind] of [
      ["a", "text"], ["a", undefined], ["", "keyword"], ["a..b", "keyword"], [".a", "keyword"], ["a.", "keyword"],
      [42, "keyword"], ["\ud800", "keyword"], ["x".repeat(257), "keyword"], [Array(17).fill("a").join("."), "keyword"],
    ]) {
      expect(codeOf(create(key, kind))).toBe("ERR_INVALID_PAYLOAD_INDEX");
    }
    expect(codeOf(create("x".repeat(256), "keyword"))).toBeUndefined();
    for (let i = 1; i < 32; i++) store.createPayloadIndex(`k${i}`, "bool");
    expect(codeOf(create("one.more", "bool"))).toBe("ERR_PAYLOAD_INDEX_LIMIT");
    expect(codeOf(create("k1", "keyword"))).toBeUndefined(); // replacing is not adding
    expect(store.payloadIndexes()).toHaveLength(32);
  });
});

describe("payload index entries", () => {
  const indexes: PayloadIndexInfo[] = [
    { key: "tag", kind: "keyword" },
    { key: "n", kind: "integer" },
    { key: "x", kind: "float" },
    { key: "on", kind: "bool" },
    { key: "a.b", kind: "keyword" },
  ];

  test("each kind keeps only its type: strings, numbers (integral ones as INTEGER), booleans as 1/0", () => {
    const { store, dir } = tempStore();
    for (const index of indexes) store.createPayloadIndex(index.key, index.kind);
    const mixed = [1, 1.0, 2.5, -0, 2 ** 53, 2 ** 53 + 2, 1e300, "1", true, false, null, { n: 1 }, [1]];
    store.apply([point("p", { tag: mixed, n: mixed, x: mixed, on: mixed, a: { b: "deep" } })], []);
    expect(storedEntries(dir)).toEqual([
      'a.b\ttext\t"deep"\tp',
      "n\tinteger\t0\tp",
      "n\tinteger\t1\tp",
      "n\tinteger\t9007199254740992\tp",
      "n\treal\t1e+300\tp",
      "n\treal\t2.5\tp",
      "n\treal\t9007199254740994\tp",
      "on\tinteger\t0\tp",
      "on\tinteger\t1\tp",
      'tag\ttext\t"1"\tp',
      "x\treal\t0\tp",
      "x\treal\t1\tp",
      "x\treal\t1e+300\tp",
      "x\treal\t2.5\tp",
      "x\treal\t9007199254740992\tp",
      "x\treal\t9007199254740994\tp",
    ]);
  });

  test("live versions only, through upserts, updates, repeated ids, deletes and restarts", () => {
    const { store, dir, reopen } = tempStore();
    for (const index of indexes) store.createPayloadIndex(index.key, index.kind);
    const live = new Map<string, string>();
    const apply = (s: ShardStore, upserts: ReturnType<typeof point>[], deletes: string[]) => {
      s.apply(upserts, deletes);
      for (const p of upserts) live.set(p.id, p.payload);
      for (const id of deletes) live.delete(id);
      expect(storedEntries(dir)).toEqual(modelEntries(live, indexes));
    };
    apply(store, [point("a", { tag: ["x", "y", "x"], n: 1 }), point("b", { tag: "x", on: true, a: { b: "z" } })], []);
    apply(store, [point("a", { tag: "w", n: [1, 2] }), point("c", { x: 0.5 }), point("c", { x: 7 })], []); // c: last wins
    apply(store, [point("d", { n: 4 })], ["b", "missing"]);
    apply(store, [point("e", { n: 5 })], ["e"]); // born and deleted in one batch
    let s = reopen();
    expect(storedEntries(dir)).toEqual(modelEntries(live, indexes));
    apply(s, [point("b", { tag: "back" })], ["a"]); // a tombstone comes back to life
    s = reopen();
    expect(storedEntries(dir)).toEqual(modelEntries(live, indexes));
    expect(ids(s, must(equals("tag", "back")))).toEqual(["b"]);
    expect(ids(s, must(equals("n", 1)))).toEqual([]);
  });

  test("an index created on a shard with data is built from its live rows; drop removes every entry", () => {
    const { store, dir } = tempStore();
    const live = new Map<string, string>();
    const batch = Array.from({ length: 500 }, (_, i) => point(`p${i}`, { tag: `t${i % 7}`, n: i % 13, nested: { n: [i, i + 1] } }, i));
    store.apply(batch, ["p3", "p4"]);
    for (const p of batch.filter((p) => p.id !== "p3" && p.id !== "p4")) live.set(p.id, p.payload);
    store.createPayloadIndex("tag", "keyword");
    store.createPayloadIndex("nested.n", "integer");
    const declared = store.payloadIndexes();
    expect(storedEntries(dir)).toEqual(modelEntries(live, declared));
    expect(store.count(must(equals("tag", "t3")))).toBe([...live.values()].filter((p) => JSON.parse(p).tag === "t3").length);
    store.dropPayloadIndex("tag");
    store.dropPayloadIndex("nested.n");
    expect(storedEntries(dir)).toEqual([]);
  });

  test("a payload that is not JSON is stored and has no entries", () => {
    const { store, dir } = tempStore();
    store.createPayloadIndex("tag", "keyword");
    store.apply([{ id: "bad", vector: Float32Array.of(0, 1), payload: "not json" }, point("good", { tag: "x" })], []);
    expect(storedEntries(dir)).toEqual(['tag\ttext\t"x"\tgood']);
    expect(store.get(["bad"], { payload: true, vector: false })).toEqual([{ id: "bad", payload: "not json" }]);
  });

  test("an index that writes by older code did not maintain is rebuilt at open", () => {
    const { store, dir, reopen } = tempStore();
    store.createPayloadIndex("tag", "keyword");
    store.apply([point("a", { tag: "x" }), point("b", { tag: "y" })], []);
    store.close();
    // What code without payload indexes does to the file: rows and counters, no entries.
    const db = new Database(join(dir, "shard.sqlite"));
    db.run("DELETE FROM points WHERE id = 'a'"); // as if replaced: its new version follows
    db.run(`INSERT INTO points (seq, id, vector, payload) VALUES (3, 'a', x'0000000000000000', '{"tag":"z"}')`);
    db.run("UPDATE shard SET last_seq = 3");
    db.close();
    const reopened = reopen();
    expect(storedEntries(dir)).toEqual(['tag\ttext\t"y"\tb', 'tag\ttext\t"z"\ta']);
    expect(ids(reopened, must(equals("tag", "z")))).toEqual(["a"]);
  });
});

describe("the planner", () => {
  test("serves must conditions on indexed keys whose test the kind answers exactly; the rest is residual", () => {
    const { dir } = tempStore();
    const db = openDatabase(join(dir, "planner.sqlite"));
    cleanups.push(() => db.close());
    const indexes = new PayloadIndexes(db, { lastSeq: 0, liveCount: 0 });
    for (const [key, kind] of [["s", "keyword"], ["i", "integer"], ["f", "float"], ["b", "bool"]] as const) indexes.create(key, kind);
    const served = (c: FilterCondition) => planFilter(db, indexes, must(c)).indexed !== undefined;
    const range = (key: string) => condition(key, { kind: "range", gte: 1 });
    expect([equals("s", "a"), equals("s", "a", "b"), equals("i", 1, 2.5), equals("f", 3), equals("b", true, false), range("i"), range("f")].map(served)).toEqual(Array(7).fill(true));
    expect([equals("s", 1), equals("s", "a", 1), equals("i", "1"), equals("f", true), equals("b", 1), range("s"), range("b"), equals("other", "a")].map(served)).toEqual(Array(8).fill(false));
    const mixed = planFilter(db, indexes, { must: [equals("s", "a"), equals("other", 1)], should: [equals("i", 1)], mustNot: [equals("b", true)] });
    expect(mixed.indexed?.residual?.params).toEqual(['$."other"', 1, '$."i"', 1, '$."b"', "true"]);
    expect(planFilter(db, indexes, { must: [], should: [equals("s", "a")], mustNot: [] }).indexed).toBeUndefined();
    expect(planFilter(db, indexes, must(equals("s", "a"), range("i"))).indexed?.residual).toBeUndefined();
  });
});

describe("type mixing", () => {
  const values: unknown[] = [1, 1.0, 2.5, -0, 0, "1", "a", "", true, false, null, [1, "a"], [true, 2.5], [[1]], [{ v: 1 }], { v: 1 }, [], 4611686018427388928, [0, 1, 1.5, "a", "", true, false]];
  const payloads = values.flatMap((v, i) => [{ v, other: i % 3 }, { w: v }, { v: { v } }]);
  const filterValues: (string | number | boolean)[] = [1, 2.5, 0, -0, "1", "a", "", true, false, 4611686018427389000];
  const filters: PayloadFilter[] = [
    ...filterValues.map((value) => must(equals("v", value))),
    must(equals("v", 1, "a")),
    must(equals("v", true, false)),
    must(equals("v", 0, 2.5)),
    must(equals("v", "a", "")),
    must(equals("v", 4611686018427389000, 1)), // the JSON list holds an integer past 2^53: compared as its double
    must(condition("v", { kind: "range", gte: 0, lt: 2 })),
    must(condition("v", { kind: "range", gt: 2.5 })),
    must(equals("v.v", 1)),
    { must: [condition("v", { kind: "range", lte: 1 })], should: [equals("other", 0), equals("other", 2)], mustNot: [equals("v", -0)] },
  ];

  for (const kind of ["keyword", "integer", "float", "bool"] as const) {
    test(`every filter on a key of mixed types gives matchesPayload's answer with an index of kind ${kind} on it`, () => {
      const { store } = tempStore();
      store.createPayloadIndex("v", kind);
      store.createPayloadIndex("v.v", kind);
      store.apply(payloads.map((p, i) => point(`p${String(i).padStart(2, "0")}`, p, i)), []);
      for (const filter of filters) {
        const expected = payloads.flatMap((p, i) => (matchesPayload(filter, p) ? [`p${String(i).padStart(2, "0")}`] : []));
        expect(ids(store, filter)).toEqual(expected);
        expect(store.count(filter)).toBe(expected.length);
        const hits = store.search(Float32Array.of(0, 1), 100, { payload: false, vector: false }, 0, filter);
        expect(hits.map((h) => h.id)).toEqual(expected);
      }
    });
  }
});
