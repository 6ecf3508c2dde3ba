import { jsonPathOf } from "./json-path";
import type { ConditionTest, FilterCondition, FilterValue, PayloadFilter } from "./payload-filter";

/** A SQLite boolean expression and the parameters for its `?` placeholders, in order. */
export type SqlFilter = { sql: string; params: (string | number)[] };

/** A column name, optionally qualified by its table (`payload`, `points.payload`). */
const columnPattern = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/**
 * json_each's own columns: an unqualified column of the same name, used inside the
 * json_each(...) call, would not reach the outer table (pinned by a test).
 */
const jsonEachColumns = new Set(["key", "value", "type", "atom", "id", "parent", "fullkey", "path", "json", "root"]);

/**
 * Compiles a checked filter to a SQLite boolean expression over a column of JSON text,
 * equivalent to matchesPayload (see FilterCondition for the rules). Each condition is
 *
 *   EXISTS (SELECT 1 FROM json_each(column, path) AS pf_e WHERE <not an object member> AND <test>)
 *
 * json_each over a scalar yields that scalar once (key NULL), over an array its elements
 * (integer keys) and over an object its members (text keys, excluded): this is the
 * any-element rule in one form. Types are checked with json_each's `type`, so the JSON
 * number 1 never equals the string "1" and `true` never equals 1. Numbers are compared
 * as REAL: an integer past 2^53 in the JSON text (`4611686018427389000`) is rounded to
 * the same double JSON.parse gives, instead of compared exactly as a 64-bit integer.
 *
 * Every key and value is a parameter, so filters of the same shape give the same SQL
 * text (bun:sqlite caches prepared statements by text). `match.any` lists travel as one
 * JSON array parameter, which keeps within SQLite's limit on parameters. A NULL column
 * (a tombstone) matches no condition. An empty filter is `1`.
 *
 * @param column a column name from our own code, never client input (it is put in the
 *   SQL text); throws a TypeError for anything but `name` or `table.name`, and for an
 *   unqualified name that json_each also has (`value`: pass `t.value`).
 */
export function filterToSql(filter: PayloadFilter, column: string): SqlFilter {
  checkColumn(column);
  const params: (string | number)[] = [];
  const parts: string[] = [];
  for (const condition of filter.must) parts.push(conditionSql(condition, column, params));
  if (filter.should.length > 0) {
    parts.push(`(${filter.should.map((condition) => conditionSql(condition, column, params)).join(" OR ")})`);
  }
  for (const condition of filter.mustNot) parts.push(`NOT ${conditionSql(condition, column, params)}`);
  if (parts.length === 0) return { sql: "1", params };
  return { sql: `(${parts.join(" AND ")})`, params };
}

function checkColumn(column: string): void {
  if (!columnPattern.test(column)) {
    throw new TypeError(`filterToSql: column must be a column name like "payload" or "points.payload", got ${JSON.stringify(column)}`);
  }
  if (jsonEachColumns.has(column.toLowerCase())) {
    throw new TypeError(`filterToSql: column "${column}" is also a column of json_each; qualify it with its table ("t.${column}")`);
  }
}

function conditionSql(condition: FilterCondition, column: string, params: (string | number)[]): string {
  params.push(jsonPathOf(condition.path));
  // `typeof(key) <> 'text'` keeps array elements (integer key) and a scalar (NULL key).
  const head = `EXISTS (SELECT 1 FROM json_each(${column}, ?) AS pf_e WHERE typeof(pf_e.key) <> 'text' AND `;
  return `${head}${testSql(condition.test, params)})`;
}

const isNumber = "pf_e.type IN ('integer', 'real')";
const asReal = "CAST(pf_e.value AS REAL)";

function testSql(test: ConditionTest, params: (string | number)[]): string {
  if (test.kind === "range") {
    const clauses = [isNumber];
    const operators = { gt: ">", gte: ">=", lt: "<", lte: "<=" } as const;
    for (const bound of ["gt", "gte", "lt", "lte"] as const) {
      const value = test[bound];
      if (value === undefined) continue;
      clauses.push(`${asReal} ${operators[bound]} ?`);
      params.push(value);
    }
    return `(${clauses.join(" AND ")})`;
  }
  return `(${equalsSql(test.values, params).join(" OR ")})`;
}

/** One clause per type present among the values: strings, numbers, booleans. */
function equalsSql(values: FilterValue[], params: (string | number)[]): string[] {
  const strings = values.filter((value) => typeof value === "string");
  const numbers = values.filter((value) => typeof value === "number");
  const booleans = [...new Set(values.filter((value) => typeof value === "boolean"))];
  const clauses: string[] = [];
  if (strings.length > 0) {
    clauses.push(`(pf_e.type = 'text' AND pf_e.value ${inSql(strings, "value", params)})`);
  }
  if (numbers.length > 0) {
    clauses.push(`(${isNumber} AND ${asReal} ${inSql(numbers, "CAST(value AS REAL)", params)})`);
  }
  if (booleans.length > 0) {
    // json_each's type of a boolean is the text 'true' or 'false'.
    clauses.push(`pf_e.type ${inSql(booleans.map(String), "value", params)}`);
  }
  return clauses;
}

/** `= ?` for one value, else `IN` over a JSON array parameter (`select` reads its elements). */
function inSql(values: (string | number)[], select: string, params: (string | number)[]): string {
  if (values.length === 1) {
    params.push(values[0]!);
    return "= ?";
  }
  params.push(JSON.stringify(values));
  return `IN (SELECT ${select} FROM json_each(?))`;
}
