import { expect, test } from "bun:test";
import { mergeWrites } from "./merge-writes";
import { point } from "./test-shard";

const p = (id: string, x: number) => point(id, x, 2);

test("the last write of an id wins, and each id lands in exactly one list", () => {
  const merged = mergeWrites(
    [
      { upserts: [p("a", 1), p("b", 1)], deletes: [] },
      { upserts: [], deletes: ["a", "c"] }, // a: upserted by the first batch; c: live before
      { upserts: [p("a", 2)], deletes: [] }, // re-creates a after its delete
      { upserts: [p("b", 3)], deletes: ["b"] }, // own upsert then own delete: b ends deleted
    ],
    (ids) => new Set(ids.filter((id) => id === "c")),
  );
  expect(merged.upserts.map((u) => [u.id, u.vector[0]])).toEqual([["a", 2]]);
  expect(merged.deletes.sort()).toEqual(["b", "c"]);
  expect(merged.outcomes).toEqual([
    { upserted: 2, deleted: 0 },
    { upserted: 0, deleted: 2 },
    { upserted: 1, deleted: 0 },
    { upserted: 1, deleted: 1 },
  ]);
});

test("repeated ids count once, deletes of missing ids count zero", () => {
  const merged = mergeWrites(
    [
      { upserts: [p("a", 1), p("a", 2)], deletes: ["x", "x", "y"] },
      { upserts: [], deletes: ["y", "y"] },
    ],
    (ids) => new Set(ids.filter((id) => id === "y")),
  );
  expect(merged.outcomes).toEqual([
    { upserted: 1, deleted: 1 },
    { upserted: 0, deleted: 0 },
  ]);
  expect(merged.upserts.map((u) => u.vector[0])).toEqual([2]);
});

test("liveness is looked up once, only for deleted ids, and not at all for upsert-only batches", () => {
  const lookups: string[][] = [];
  const live = (ids: string[]) => (lookups.push(ids), new Set<string>());
  mergeWrites([{ upserts: [p("a", 1)], deletes: [] }, { upserts: [p("b", 1)], deletes: [] }], live);
  expect(lookups).toEqual([]);
  mergeWrites([{ upserts: [p("a", 1)], deletes: ["b"] }, { upserts: [], deletes: ["b", "c"] }], live);
  expect(lookups).toEqual([["b", "c"]]);
});
