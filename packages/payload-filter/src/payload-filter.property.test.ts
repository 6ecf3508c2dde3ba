import { afterAll, expect, test } from "bun:test";
import fc from "fast-check";
import { matchesPayload } from "./match-payload";
import { filterOf, PayloadTable } from "./test-fixtures";

/**
 * Property: for random payloads and random filters, matchesPayload agrees with the plain
 * reference evaluator below, and filterToSql run by a real SQLite over the payloads' JSON
 * text selects exactly the payloads matchesPayload accepts.
 *
 * Numbers come mostly from a pool of edge cases (-0, 1e21, 5e-324, the largest double,
 * integers past 2^53 that JSON.stringify writes inexactly) so that equality hits often,
 * plus arbitrary finite doubles. Excluded, because JSON cannot carry them: NaN and
 * ±Infinity. Payload objects never repeat a key (JSON.stringify cannot write one that
 * does; with duplicates JSON.parse keeps the last, SQLite the first).
 */

type JsonFilterValue = string | number | boolean;
type JsonCondition = { key: string; match?: { value?: JsonFilterValue; any?: JsonFilterValue[] }; range?: Bounds };
type Bounds = { gt?: number; gte?: number; lt?: number; lte?: number };
type JsonFilter = { must?: JsonCondition[]; should?: JsonCondition[]; mustNot?: JsonCondition[] };

// --- The reference: the rules as stated, over the filter's JSON form. ---

function refMatches(filter: JsonFilter, payload: unknown): boolean {
  const holds = (condition: JsonCondition) => refCondition(condition, payload);
  const should = filter.should ?? [];
  return (filter.must ?? []).every(holds) && (should.length === 0 || should.some(holds)) && !(filter.mustNot ?? []).some(holds);
}

function refCondition(condition: JsonCondition, payload: unknown): boolean {
  const found = refLookup(payload, condition.key.split("."));
  const candidates = Array.isArray(found) ? found : [found];
  return candidates.some((value) => refScalar(condition, value));
}

function refLookup(doc: unknown, segments: string[]): unknown {
  if (segments.length === 0) return doc;
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return undefined;
  const entry = Object.entries(doc).find(([name]) => name === segments[0]);
  return entry === undefined ? undefined : refLookup(entry[1], segments.slice(1));
}

function refScalar(condition: JsonCondition, value: unknown): boolean {
  const range = condition.range;
  if (range !== undefined) {
    if (typeof value !== "number") return false;
    if (range.gt !== undefined && !(value > range.gt)) return false;
    if (range.gte !== undefined && !(value >= range.gte)) return false;
    if (range.lt !== undefined && !(value < range.lt)) return false;
    if (range.lte !== undefined && !(value <= range.lte)) return false;
    return true;
  }
  const wanted = condition.match!.any ?? [condition.match!.value!];
  return wanted.some((w) => typeof w === typeof value && w === value);
}

// --- Generators. ---
// Small pools, weighted towards a few common keys and values, so that filters hit
// often; the special ones (JSON path characters, prototype names, edge numbers) come
// often enough to be exercised in every run of the suite.

/** Key segments in filters and payloads. */
const segment = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom("a", "b") },
  { weight: 2, arbitrary: fc.constantFrom("$", "[0]", "*", `q"t`, "b\\s", "é", "😀", "sp ace", "0", "__proto__", "constructor") },
);
/** Payloads also have keys no filter key can reach: dotted, empty, ill-formed. */
const payloadKey = fc.oneof({ weight: 12, arbitrary: segment }, fc.constantFrom("a.b", "", "\ud800"));

const edgeNumbers = [
  -0, 1.5, 0.1, 0.30000000000000004, 1e21, -1e21, 1e-7, 5e-324,
  1.7976931348623157e308, 2 ** 53, 2 ** 53 + 2, 4611686018427388928, 2 ** 64, -1e300,
];
const number = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 2 }) },
  { weight: 3, arbitrary: fc.constantFrom(...edgeNumbers) },
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const filterValue = fc.oneof(
  { weight: 4, arbitrary: number },
  { weight: 3, arbitrary: fc.constantFrom("a", "b") },
  // "[]" and "{}" are what SQLite's json_each gives as the value of an empty array or object.
  fc.constantFrom("", "1", "true", "é", "😀", "A", "[]", "{}"),
  { weight: 2, arbitrary: fc.boolean() },
);
// Payload strings may also hold a lone surrogate, which filters reject.
const payloadScalar = fc.oneof({ weight: 12, arbitrary: filterValue }, { weight: 2, arbitrary: fc.constant(null) }, fc.constant("x\udc00"));

const { payload } = fc.letrec<{ value: unknown; array: unknown[]; payload: Record<string, unknown> }>((tie) => ({
  value: fc.oneof({ depthSize: "small", maxDepth: 3 }, { weight: 4, arbitrary: payloadScalar }, tie("array"), tie("payload")),
  array: fc.array(tie("value"), { maxLength: 4 }),
  payload: fc
    .uniqueArray(fc.tuple(payloadKey, tie("value")), { selector: ([name]) => name, minLength: 1, maxLength: 6 })
    .map((entries) => Object.fromEntries(entries)),
}));

const key = fc
  .oneof({ weight: 6, arbitrary: fc.tuple(segment) }, { weight: 2, arbitrary: fc.tuple(segment, segment) }, fc.tuple(segment, segment, segment))
  .map((parts) => parts.join("."));
const bounds = fc
  .record({ gt: number, gte: number, lt: number, lte: number }, { requiredKeys: [] })
  .filter((range) => Object.keys(range).length > 0);
const condition: fc.Arbitrary<JsonCondition> = fc.oneof(
  fc.record({ key, match: fc.record({ value: filterValue }) }),
  fc.record({ key, match: fc.record({ any: fc.array(filterValue, { minLength: 1, maxLength: 5 }) }) }),
  fc.record({ key, range: bounds }),
);

/** Every (key, scalar) a filter key can reach in a payload, array elements included. */
function reachable(doc: unknown, path: string[] = [], out: { key: string; value: JsonFilterValue }[] = []) {
  if (Array.isArray(doc)) {
    for (const element of doc) if (isFilterValue(element) && path.length > 0) out.push({ key: path.join("."), value: element });
  } else if (doc !== null && typeof doc === "object") {
    for (const [name, value] of Object.entries(doc)) {
      if (name !== "" && !name.includes(".") && name.isWellFormed()) reachable(value, [...path, name], out);
    }
  } else if (isFilterValue(doc) && path.length > 0) {
    out.push({ key: path.join("."), value: doc });
  }
  return out;
}

function isFilterValue(value: unknown): value is JsonFilterValue {
  return typeof value === "number" || typeof value === "boolean" || (typeof value === "string" && value.isWellFormed());
}

/** A condition on a key and value found in one of the payloads, so that it often holds. */
function conditionFrom(found: { key: string; value: JsonFilterValue }[]): fc.Arbitrary<JsonCondition> {
  return fc.constantFrom(...found).chain(({ key, value }) =>
    fc.oneof(
      fc.constant({ key, match: { value } }),
      fc.array(filterValue, { maxLength: 3 }).map((others) => ({ key, match: { any: [...others, value] } })),
      typeof value === "number"
        ? fc.constantFrom("gt", "gte", "lt", "lte").map((bound) => ({ key, range: { [bound]: value } }))
        : fc.constant({ key, match: { value } }),
    ),
  );
}

/** Payloads and a filter over them: random conditions mixed with ones found in the payloads. */
const payloadsAndFilter = fc.array(payload, { minLength: 4, maxLength: 16 }).chain((payloads) => {
  const found = payloads.flatMap((p) => reachable(p));
  const anyCondition = found.length === 0 ? condition : fc.oneof(condition, { weight: 2, arbitrary: conditionFrom(found) });
  const conditions = fc.array(anyCondition, { maxLength: 2 });
  const filter: fc.Arbitrary<JsonFilter> = fc.record({ must: conditions, should: conditions, mustNot: conditions }, { requiredKeys: [] });
  return fc.tuple(fc.constant(payloads), filter);
});

// --- The property. ---

const table = new PayloadTable();
afterAll(() => table.close());

test("matchesPayload agrees with the reference, and SQLite with matchesPayload", () => {
  let mixed = 0;
  fc.assert(
    fc.property(payloadsAndFilter, ([payloads, filterJson]) => {
      const texts = payloads.map((p) => JSON.stringify(p));
      const stored = texts.map((text) => JSON.parse(text) as unknown);
      const checked = filterOf(filterJson);
      const ids = (accept: (p: unknown) => boolean) => stored.flatMap((p, id) => (accept(p) ? [id] : []));
      const expected = ids((p) => refMatches(filterJson, p));
      expect(ids((p) => matchesPayload(checked, p))).toEqual(expected);
      table.fill(texts);
      expect(table.select(checked)).toEqual(expected);
      if (expected.length > 0 && expected.length < stored.length) mixed++;
    }),
    { numRuns: 500 },
  );
  // The generators must make filters that tell payloads apart, not ones that match all or none.
  expect(mixed).toBeGreaterThan(100);
});
