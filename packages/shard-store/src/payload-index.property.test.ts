import { afterEach, expect, test } from "bun:test";
import fc from "fast-check";
import { matchesPayload, type FilterCondition, type FilterValue, type PayloadFilter } from "@vectron/payload-filter";
import { openShardStore, type PayloadIndexKind, type ShardStore, type ShardStoreOptions } from "./index";
import { modelEntries, storedEntries } from "./payload-index-fixtures";
import { makeTempDir } from "./test-fixtures";

/**
 * Payload indexes change cost, never results. Two stores get the same random writes;
 * one also gets random index declarations and drops (every kind on every key, so kinds
 * meet values of other types), the other never has an index. After every step, for
 * random filters, Count, Scroll (whole and paged) and Search agree between the two and
 * with a model that evaluates matchesPayload over the live payloads; and the indexed
 * store's entries are exactly those its live payloads should give (payload-index-fixtures).
 */

const idSpace = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
const keys = ["a", "b", "n.a", 'q"t', "é"];
// Mostly the plain keys, so that indexes, payloads and filters meet often.
const key = fc.oneof({ weight: 8, arbitrary: fc.constantFrom("a", "b") }, { weight: 3, arbitrary: fc.constantFrom(...keys) });
const kinds: PayloadIndexKind[] = ["keyword", "integer", "float", "bool"];

// Small integers mostly, so that conditions hit often; and numbers that are equal in
// another spelling (-0, 1.0), round differently past 2^53, or sit between integers.
const edgeNumbers = [-0, 1.5, 0.1, 0.30000000000000004, 2 ** 53, 2 ** 53 + 2, 4611686018427388928, 1e21];
const number = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 2 }) }, { weight: 2, arbitrary: fc.constantFrom(...edgeNumbers) });
const text = fc.oneof({ weight: 6, arbitrary: fc.constant("x") }, { weight: 2, arbitrary: fc.constantFrom("y", "1", "", "é") });
const scalar = fc.oneof(text, number, fc.boolean());
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 5, arbitrary: fc.array(fc.oneof({ weight: 6, arbitrary: scalar }, fc.tuple(scalar), fc.record({ a: scalar })), { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, {}) },
  { weight: 1, arbitrary: fc.record({ a: scalar }) },
);
const payload = fc.record(
  { a: value, b: value, n: fc.oneof(fc.record({ a: value, b: value }, { requiredKeys: [] }), value), 'q"t': value, é: value },
  { requiredKeys: ["a", "b"] },
);

// Single-typed value lists, which an index of that type serves, and sometimes mixed ones.
const values: fc.Arbitrary<FilterValue[]> = fc.oneof(
  { weight: 3, arbitrary: fc.array(text, { minLength: 1, maxLength: 3 }) },
  { weight: 3, arbitrary: fc.array(number, { minLength: 1, maxLength: 3 }) },
  { weight: 2, arbitrary: fc.array(fc.boolean(), { minLength: 1, maxLength: 2 }) },
  { weight: 1, arbitrary: fc.array(scalar, { minLength: 1, maxLength: 3 }) },
);
/** A lower bound, an upper bound or both (sometimes contradictory). */
const bound = (names: [string, string]) => fc.option(fc.tuple(fc.constantFrom(...names), number), { nil: undefined });
const bounds = fc
  .tuple(bound(["gt", "gte"]), bound(["lt", "lte"]))
  .filter(([lower, upper]) => lower !== undefined || upper !== undefined)
  .map(([lower, upper]) => Object.fromEntries([lower, upper].filter((b) => b !== undefined)) as { gt?: number; gte?: number; lt?: number; lte?: number });
const condition: fc.Arbitrary<FilterCondition> = fc.record({
  key,
  test: fc.oneof(values.map((v) => ({ kind: "equals" as const, values: v })), bounds.map((b) => ({ kind: "range" as const, ...b }))),
}).map(({ key, test }) => ({ key, path: key.split("."), test }));
/** Usually none. */
const fewConditions = fc.oneof({ weight: 3, arbitrary: fc.constant<FilterCondition[]>([]) }, fc.array(condition, { minLength: 1, maxLength: 2 }));
// Never empty: an empty filter is not planned (and unfiltered search is HNSW, whose ties are its own).
const filter: fc.Arbitrary<PayloadFilter> = fc
  .record({
    must: fc.array(condition, { maxLength: 2 }),
    should: fewConditions,
    mustNot: fewConditions,
  })
  .filter((f) => f.must.length + f.should.length + f.mustNot.length > 0);

const coordinate = fc.integer({ min: -3, max: 3 });
const upsert = fc.record({ id: fc.constantFrom(...idSpace), x: coordinate, y: coordinate, payload });
const declaration = fc.record({ key, type: fc.constantFrom(...kinds) });
const step = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("apply" as const),
      upserts: fc.array(upsert, { maxLength: 8 }),
      deletes: fc.array(fc.constantFrom(...idSpace), { maxLength: 3 }),
    }),
  },
  { weight: 2, arbitrary: declaration.map((d) => ({ kind: "index" as const, ...d })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("drop" as const), key }) },
  { weight: 1, arbitrary: fc.constant({ kind: "reopen" as const }) },
);
const query = fc.record({ x: coordinate, y: coordinate, k: fc.integer({ min: 1, max: 12 }) });

interface ModelPoint {
  x: number;
  y: number;
  payload: string;
  seq: number;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const bare = { payload: false, vector: false };

function check(indexed: ShardStore, plain: ShardStore, live: Map<string, ModelPoint>, f: PayloadFilter, q: { x: number; y: number; k: number }): void {
  const matching = [...live].filter(([, p]) => matchesPayload(f, JSON.parse(p.payload))).sort(([a], [b]) => (a < b ? -1 : 1));
  const expectedIds = matching.map(([id]) => id);
  expect(indexed.count(f)).toBe(expectedIds.length);
  expect(plain.count(f)).toBe(expectedIds.length);
  expect(indexed.scroll("", 100, bare, f).map((p) => p.id)).toEqual(expectedIds);
  expect(plain.scroll("", 100, bare, f).map((p) => p.id)).toEqual(expectedIds);
  const paged: string[] = [];
  for (let page = indexed.scroll("", 3, bare, f); page.length > 0; page = indexed.scroll(paged.at(-1)!, 3, bare, f)) {
    paged.push(...page.map((p) => p.id));
  }
  expect(paged).toEqual(expectedIds);
  // Exact search over the matches; ties go to the older version (filtered-search.ts).
  const distance = (p: ModelPoint) => (p.x - q.x) ** 2 + (p.y - q.y) ** 2;
  const nearest = matching
    .sort(([, a], [, b]) => distance(a) - distance(b) || a.seq - b.seq)
    .slice(0, q.k)
    .map(([id]) => id);
  const vector = Float32Array.of(q.x, q.y);
  expect(indexed.search(vector, q.k, bare, 0, f).map((h) => h.id)).toEqual(nearest);
  expect(plain.search(vector, q.k, bare, 0, f).map((h) => h.id)).toEqual(nearest);
}

type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;
type Check = [PayloadFilter, { x: number; y: number; k: number }];

/**
 * Writes a first batch, declares indexes (built from that data), then applies the steps
 * to both stores and the model, checking after each one.
 */
function run(first: Step & { kind: "apply" }, declarations: { key: string; type: PayloadIndexKind }[], steps: [Step, Check[]][]): void {
  const temps = [makeTempDir(), makeTempDir()];
  cleanups.push(...temps.map((t) => t.cleanup));
  const options = temps.map((t): ShardStoreOptions => ({ dir: t.dir, dimension: 2, metric: "euclidean" }));
  let indexed = openShardStore(options[0]!);
  let plain = openShardStore(options[1]!);
  try {
    const live = new Map<string, ModelPoint>();
    let lastSeq = 0;
    for (const [s, checks] of [[first, []], [{ kind: "declare" as const }, []], ...steps] as const) {
      if (s.kind === "apply") {
        const upserts = s.upserts.map((u) => ({ id: u.id, vector: Float32Array.of(u.x, u.y), payload: JSON.stringify(u.payload) }));
        const latest = new Map(s.upserts.map((u) => [u.id, u]));
        for (const u of latest.values()) live.set(u.id, { x: u.x, y: u.y, payload: JSON.stringify(u.payload), seq: ++lastSeq });
        for (const id of s.deletes) if (live.delete(id)) lastSeq++;
        indexed.apply(upserts, s.deletes);
        plain.apply(upserts, s.deletes);
      } else if (s.kind === "declare") {
        for (const d of declarations) indexed.createPayloadIndex(d.key, d.type);
      } else if (s.kind === "index") {
        indexed.createPayloadIndex(s.key, s.type);
      } else if (s.kind === "drop") {
        indexed.dropPayloadIndex(s.key);
      } else {
        indexed.close();
        plain.close();
        indexed = openShardStore(options[0]!);
        plain = openShardStore(options[1]!);
      }
      const payloads = [...live].map(([id, p]): [string, string] => [id, p.payload]);
      expect(storedEntries(options[0]!.dir)).toEqual(modelEntries(payloads, indexed.payloadIndexes()));
      for (const [f, q] of checks) check(indexed, plain, live, f, q);
    }
  } finally {
    indexed.close();
    plain.close();
  }
}

test("with or without payload indexes, filtered Count, Scroll and Search give matchesPayload's answer", () => {
  const checks = fc.array(fc.tuple(filter, query), { minLength: 1, maxLength: 3 });
  fc.assert(
    fc.property(
      fc.record({ kind: fc.constant("apply" as const), upserts: fc.array(upsert, { minLength: 4, maxLength: 10 }), deletes: fc.constant<string[]>([]) }),
      fc.array(declaration, { maxLength: 4 }),
      fc.array(fc.tuple(step, checks), { minLength: 1, maxLength: 15 }),
      run,
    ),
    { numRuns: 150 },
  );
}, 120_000);
