import { filterLimits, type ConditionTest } from "@vectron/payload-filter";
import { ShardStoreError } from "./shard-store-error";
import type { PayloadIndexKind } from "./types";

/**
 * What each kind of payload index holds and which filter conditions it can answer.
 *
 * An index must never change a filter's result, only its cost, so each kind holds every
 * payload value the conditions it answers could match, compared exactly the way
 * filterToSql compares them (the same json_each rows, the same CASTs):
 * - keyword: strings (the text json_each decodes; compared bytewise, as the filter does);
 * - integer and float: every JSON number, as the double a filter compares (JSON.parse's
 *   value; `1` and `1.0` are the same entry). An integer index that skipped 2.5 would
 *   make `range lt 3` miss it, so both numeric kinds keep all numbers: they differ only in
 *   storage. Integer keeps integral values as SQLite INTEGERs (1–3 bytes for typical
 *   buckets and ids) and others as REAL; float keeps REALs (8 bytes). SQLite compares
 *   INTEGER with REAL by exact value, so both answer the same;
 * - bool: true and false, stored as 1 and 0 under keys of their own (one kind per key),
 *   so a boolean never meets a number.
 * Values of other types are not indexed; a condition that could match them (a number on
 * a keyword index, a range on a bool index) is not answered by the index at all.
 */

/** The kinds, for validation and messages. */
export const payloadIndexKinds: readonly PayloadIndexKind[] = ["keyword", "integer", "float", "bool"];

/** The JSON types (json_each `type`) each kind indexes. */
const jsonTypes: Record<PayloadIndexKind, string> = {
  keyword: "('text')",
  integer: "('integer', 'real')",
  float: "('integer', 'real')",
  bool: "('true', 'false')",
};

/** The double a filter compares a JSON number as (filter-to-sql.ts: `CAST(value AS REAL)`). */
const asDouble = "CAST(e.value AS REAL)";

/** The stored value of json_each row `e`, by kind. */
const storedValues: Record<PayloadIndexKind, string> = {
  keyword: "e.value",
  // Integral doubles within ±2^53 become INTEGERs (exactly: the same value); the rest stay REAL.
  integer: `CASE WHEN abs(${asDouble}) <= 9007199254740992 AND ${asDouble} = CAST(${asDouble} AS INTEGER)
    THEN CAST(${asDouble} AS INTEGER) ELSE ${asDouble} END`,
  float: asDouble,
  bool: "e.type = 'true'",
};

/** The parts of a SELECT of the entries a kind indexes from a JSON text (see extraction). */
export interface Extraction {
  /** The stored value of json_each row `e`. */
  value: string;
  /** The json_each call, as a FROM item. */
  source: string;
  /** Which rows of it are indexed. */
  where: string;
}

/**
 * How a kind's entries come out of a payload: `SELECT value FROM source WHERE where`,
 * with `json` (an SQL expression of the payload text: a parameter or a column) and
 * `path` (a parameter holding jsonPathOf of the key). `typeof(e.key) <> 'text'` keeps a
 * scalar and the elements of an array and skips an object's members: filterToSql's
 * any-element rule, in the same form. A payload that is not JSON (the API never writes
 * one) has no entries instead of failing the write; a filter scanning it fails anyway.
 */
export function extraction(kind: PayloadIndexKind, json: string, path: string): Extraction {
  return {
    value: storedValues[kind],
    source: `json_each(CASE WHEN json_valid(${json}, 2) THEN ${json} END, ${path}) AS e`,
    where: `typeof(e.key) <> 'text' AND e.type IN ${jsonTypes[kind]}`,
  };
}

/**
 * A test on the stored value `column` equivalent to the condition's test, or undefined
 * when an index of this kind cannot answer it (some value it could match is of a type
 * the kind does not hold). Appends its parameters to `params`.
 */
export function indexTestSql(
  kind: PayloadIndexKind,
  test: ConditionTest,
  column: string,
  params: (string | number)[],
): string | undefined {
  const numeric = kind === "integer" || kind === "float";
  if (test.kind === "range") {
    if (!numeric) return undefined;
    const operators = { gt: ">", gte: ">=", lt: "<", lte: "<=" } as const;
    const clauses: string[] = [];
    for (const bound of ["gt", "gte", "lt", "lte"] as const) {
      const value = test[bound];
      if (value === undefined) continue;
      clauses.push(`${column} ${operators[bound]} ?`);
      params.push(value);
    }
    return clauses.join(" AND ");
  }
  const wanted = kind === "keyword" ? "string" : numeric ? "number" : "boolean";
  if (!test.values.every((value) => typeof value === wanted)) return undefined;
  const values = [...new Set(test.values.map((value) => (typeof value === "boolean" ? Number(value) : value)))];
  if (values.length === 1) {
    params.push(values[0]!);
    return `${column} = ?`;
  }
  params.push(JSON.stringify(values));
  // Numbers go through REAL as in filterToSql: a JSON integer past 2^53 in the list must
  // compare as the double it denotes, not as a 64-bit integer.
  return `${column} IN (SELECT ${numeric ? "CAST(value AS REAL)" : "value"} FROM json_each(?))`;
}

/** Throws ERR_INVALID_PAYLOAD_INDEX unless `key` is a filter key and `kind` a kind. */
export function checkPayloadIndex(key: unknown, kind: unknown): asserts kind is PayloadIndexKind {
  const fail = (message: string) => new ShardStoreError("ERR_INVALID_PAYLOAD_INDEX", `payload index: ${message}`);
  if (!payloadIndexKinds.includes(kind as PayloadIndexKind)) {
    throw fail(`kind must be one of ${payloadIndexKinds.map((k) => `"${k}"`).join(", ")}, got ${JSON.stringify(kind)}`);
  }
  // The rules of filter keys (check-filter.ts), so every index key is one a filter can name.
  if (typeof key !== "string" || key === "") throw fail("key must be a non-empty string");
  if (!key.isWellFormed()) throw fail("key must be well-formed Unicode (no lone surrogates)");
  if ([...key].length > filterLimits.keyLength) throw fail(`key must be at most ${filterLimits.keyLength} characters`);
  const segments = key.split(".");
  if (segments.some((segment) => segment === "")) throw fail(`key ${JSON.stringify(key)} has an empty segment; dots separate names, as in "a.b"`);
  if (segments.length > filterLimits.keySegments) throw fail(`key must have at most ${filterLimits.keySegments} segments`);
}
