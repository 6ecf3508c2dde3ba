import { afterAll, describe, expect, test } from "bun:test";
import { filterToSql } from "./filter-to-sql";
import { matchesPayload } from "./match-payload";
import { filterOf, PayloadTable } from "./test-fixtures";

const table = new PayloadTable();
afterAll(() => table.close());

describe("filterToSql", () => {
  test("an empty filter is a constant true", () => {
    expect(filterToSql(filterOf({}), "payload")).toEqual({ sql: "1", params: [] });
  });

  test("keys and values are parameters: the same shape gives the same SQL text", () => {
    const a = filterToSql(filterOf({ must: [{ key: "a.b", match: { value: "x" } }], mustNot: [{ key: "n", range: { gt: 1 } }] }), "payload");
    const b = filterToSql(filterOf({ must: [{ key: `c."d`, match: { value: "y" } }], mustNot: [{ key: "m", range: { gt: 2 } }] }), "payload");
    expect(a.sql).toBe(b.sql);
    expect(a.params).toEqual(['$."a"."b"', "x", '$."n"', 1]);
    expect(b.params).toEqual(['$."c"."\\u0022d"', "y", '$."m"', 2]);
    const many = (n: number) => filterToSql(filterOf({ must: [{ key: "a", match: { any: Array.from({ length: n }, (_, i) => `v${i}`) } }] }), "payload");
    expect(many(3).sql).toBe(many(1000).sql);
  });

  test("a NULL column (a tombstone) matches no condition, so mustNot holds", () => {
    table.fill([null, `{"a":1}`]);
    expect(table.select(filterOf({ must: [{ key: "a", match: { value: 1 } }] }))).toEqual([1]);
    expect(table.select(filterOf({ mustNot: [{ key: "a", match: { value: 1 } }] }))).toEqual([0]);
    expect(matchesPayload(filterOf({ mustNot: [{ key: "a", match: { value: 1 } }] }), undefined)).toBe(true);
  });

  test("the largest filter fits SQLite's parameter limit", () => {
    // 64 conditions of 1,024 values each: 65,536 values, over SQLite's 32,766 parameters
    // if each were bound on its own.
    const values = Array.from({ length: 1023 }, (_, i) => (i % 2 === 0 ? i : `s${i}`));
    const conditions = Array.from({ length: 64 }, (_, i) => ({ key: `k${i % 3}`, match: { any: [...values, true] } }));
    const filter = filterOf({ should: conditions });
    table.fill([`{"k1":1022}`, `{"k2":"s1021"}`, `{"k0":1021}`, `{"k0":[false,true]}`]);
    expect(table.select(filter)).toEqual([0, 1, 3]);
  });

  test("qualified column names work, others fail at once", () => {
    const filter = filterOf({ must: [{ key: "a", match: { value: 1 } }] });
    table.fill([`{"a":1}`, `{"a":2}`]);
    const { sql, params } = filterToSql(filter, "t.payload");
    expect(table.db.query(`SELECT id FROM t WHERE ${sql}`).all(...params)).toEqual([{ id: 0 }]);
    for (const column of ["", "payload; DROP TABLE t", "1", "a.b.c", `"payload"`]) {
      expect(() => filterToSql(filter, column)).toThrow(TypeError);
    }
  });

  test("an unqualified column named like a json_each column is refused", () => {
    const filter = filterOf({ must: [{ key: "a", match: { value: 1 } }] });
    for (const column of ["value", "key", "TYPE", "path", "json"]) {
      expect(() => filterToSql(filter, column)).toThrow(/qualify it/);
    }
    // Why: inside json_each(value, ?), `value` is not the outer table's column.
    const db = table.db;
    db.run("CREATE TABLE named (id INTEGER, value TEXT)");
    db.run(`INSERT INTO named VALUES (1, '{"a":1}')`);
    const unsafe = filterToSql(filter, "named.value").sql.replace("named.value", "value");
    expect(db.query(`SELECT id FROM named WHERE ${unsafe}`).all('$."a"', 1)).toEqual([]);
    const safe = filterToSql(filter, "named.value");
    expect(db.query(`SELECT id FROM named WHERE ${safe.sql}`).all(...safe.params)).toEqual([{ id: 1 }]);
  });
});
