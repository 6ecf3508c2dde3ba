import fc from "fast-check";
import type { FuzzPools } from "./fuzz-tenants";

/**
 * Request bodies for every public RPC, in Connect JSON form (the proto3 JSON mapping).
 * Each field is usually valid and sometimes hostile, so that many requests get past
 * validation to the shards while every field also takes absurd values: other users'
 * collection names and point ids, wrong dimensions, NaN/±Infinity (as the mapping spells
 * them), floats beyond float32, integers beyond uint32, empty and huge strings and lists,
 * lone surrogates and NULs, deep and oversized filters and payloads, wrong types.
 * Garbage of the wrong shape is added on top by json-mutations.ts.
 */
export interface FuzzRequest {
  service: "vectron.v1.VectronService" | "vectron.auth.v1.AuthService";
  method: string;
  body: unknown;
}

type JsonValue = unknown;

/** Usually `valid`, one time in `1 + validWeight` `hostile`. */
function mostly<T>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<T>, validWeight = 8): fc.Arbitrary<T> {
  return fc.oneof({ weight: validWeight, arbitrary: valid }, { weight: 1, arbitrary: hostile });
}

/** Strings that break things: NUL, lone surrogates, injection, path and JSON characters, long ones. */
const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 8 }) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "",
      " ",
      "\u0000",
      "a\u0000b",
      "\ud800",
      "\udfff x",
      "\ufffd",
      "NaN",
      "Infinity",
      "null",
      "__proto__",
      "constructor",
      "'; DROP TABLE collections; --",
      "%00",
      "../../etc/passwd",
      "a..b",
      ".",
      '"}]}',
      "x".repeat(257),
      "é".repeat(129),
    ),
  },
  { weight: 1, arbitrary: fc.nat({ max: 70_000 }).map((n) => "x".repeat(n)) },
);

/** Any string, from plain to hostile. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom("🦄🦄🦄", "naïve café ✓ 雪", "a.b") },
  { weight: 3, arbitrary: hostileText },
);

/** Values of the wrong JSON type for any field. */
const wrongType: fc.Arbitrary<JsonValue> = fc.constantFrom(null, true, "1", "", [], {}, [1], { a: 1 }, 1.5, -1);

/** uint32 fields: edges of every limit, out of range, and of the wrong type. */
const hostileCount: fc.Arbitrary<JsonValue> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(0, 64, 65, 100, 1000, 1001, 4096, 4097, 10_000, 10_001, 4294967295) },
  { weight: 1, arbitrary: fc.nat({ max: 5000 }) },
  { weight: 2, arbitrary: fc.constantFrom(-1, 1.5, 4294967296, 1e21, 1e308, "10", "1e3", "NaN", "", null, true, [], {}) },
);
const anyCount: fc.Arbitrary<JsonValue> = mostly(fc.nat({ max: 20 }), hostileCount, 4);
/** Counts of things that cost (shards, replicas, quorums): 0-3, or hostile. */
const smallCount: fc.Arbitrary<JsonValue> = mostly(fc.integer({ min: 0, max: 3 }), hostileCount, 12);

/** Float elements the JSON mapping allows but the API must refuse (or survive), and some it does not allow. */
const hostileFloat: fc.Arbitrary<JsonValue> = fc.constantFrom("NaN", "Infinity", "-Infinity", 1e39, -1e39, 3e38, -3e38, 3.4028235e38, 1e-45, 5e-324, -0, 1e308, "1", "", null, true, [1]);
const anyFloat: fc.Arbitrary<JsonValue> = mostly(fc.double({ min: -4, max: 4, noNaN: true }), hostileFloat, 30);

/** A vector: mostly of the fuzzer's dimension, sometimes any length or not a list at all. */
function anyVector(dimension: number): fc.Arbitrary<JsonValue> {
  const valid = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: dimension, maxLength: dimension });
  const hostile = fc.oneof(
    fc.array(anyFloat, { minLength: dimension, maxLength: dimension }),
    fc.constantFrom(Array(dimension).fill(0), Array(dimension).fill(3e38), Array(dimension).fill(-3e38), Array(dimension).fill(1e-45)),
    fc.array(anyFloat, { maxLength: 9 }),
    fc.constantFrom([], Array(5000).fill(0.5), "1,2,3,4", null, { x: 1 }),
  );
  return mostly(valid, hostile, 4);
}

/** Nested `{"a":{"a":...}}` or `[[...]]` around a value. */
export function nested(depth: number, leaf: JsonValue, asArray: boolean): JsonValue {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value };
  return value;
}

/** Payloads: small JSON objects, or deep, big, non-finite-looking and non-object ones. */
const anyPayload: fc.Arbitrary<JsonValue> = mostly(
  fc.dictionary(fc.constantFrom("owner", "i", "n", "tags", "marker", "nested"), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.oneof(
    fc.dictionary(anyText, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
    fc.dictionary(fc.string({ unit: "binary", maxLength: 4 }), fc.string({ unit: "binary" }), { maxKeys: 3 }),
    fc.tuple(fc.integer({ min: 1, max: 120 }), fc.boolean()).map(([depth, asArray]) => ({ deep: nested(depth, 1, asArray) })),
    fc.constantFrom({ big: "x".repeat(70_000) }, { n: 1e308, m: -1e308, t: 5e-324 }, { "": 1, "\u0000": "\u0000" }, {}, null, [], "x", 1),
  ),
  3,
);

/** Filter keys: the payloads' keys and dotted paths, or every way of breaking the key rules. */
const anyKey: fc.Arbitrary<JsonValue> = mostly(
  fc.constantFrom("owner", "i", "n", "marker", "nested.tag", "tags", "deep.a.a"),
  fc.oneof(
    anyText,
    fc.integer({ min: 1, max: 40 }).map((n) => Array(n).fill("a").join(".")),
    fc.constantFrom("a..b", ".a", "a.", "k".repeat(300), "\u0000", 1, null, ["a"]),
  ),
  4,
);

/** Scalars for match values, or the kinds the API refuses (including deep structs). */
const anyMatchValue: fc.Arbitrary<JsonValue> = mostly(
  fc.oneof(fc.constantFrom("A", "B", 0, 1, 2, true), fc.string({ maxLength: 4 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean()),
  fc.oneof(
    hostileText,
    fc.constantFrom(null, { nested: 1 }, [1, 2], 1e308, "NaN"),
    fc.tuple(fc.integer({ min: 1, max: 120 }), fc.boolean()).map(([depth, asArray]) => nested(depth, "v", asArray)),
  ),
  4,
);

const anyRange: fc.Arbitrary<JsonValue> = mostly(
  fc.record({ gt: fc.double({ min: -10, max: 10, noNaN: true }), gte: fc.integer({ min: -5, max: 5 }), lt: fc.double({ min: -10, max: 10, noNaN: true }), lte: fc.integer({ min: -5, max: 5 }) }, { requiredKeys: [] }),
  fc.oneof(
    fc.record({ gt: anyFloat, gte: anyFloat, lt: anyFloat, lte: anyFloat }, { requiredKeys: [] }),
    fc.constantFrom({}, { gt: "NaN" }, { lte: "-Infinity" }, { gt: null }, { between: 1 }),
  ),
  4,
);

const anyCondition: fc.Arbitrary<JsonValue> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ key: anyKey, match: fc.record({ value: anyMatchValue }) }) },
  { weight: 2, arbitrary: fc.record({ key: anyKey, match: fc.record({ any: fc.array(anyMatchValue, { minLength: 1, maxLength: 4 }) }) }) },
  { weight: 2, arbitrary: fc.record({ key: anyKey, range: anyRange }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { key: "i" },
      { key: "i", match: {} },
      { key: "i", match: { any: [] } },
      { key: "i", match: { value: 1, any: [1] } },
      { key: "i", match: { value: 1 }, range: { gt: 0 } },
      { key: "i", match: { any: Array.from({ length: 1025 }, (_, i) => i) } },
      {},
      "i",
    ),
  },
);

/** Filters: a few conditions, or too many, or the wrong shape. */
const anyFilter: fc.Arbitrary<JsonValue> = mostly(
  fc.record({ must: fc.array(anyCondition, { maxLength: 2 }), should: fc.array(anyCondition, { maxLength: 2 }), mustNot: fc.array(anyCondition, { maxLength: 2 }) }, { requiredKeys: [] }),
  fc.oneof(
    fc.constant({ must: Array.from({ length: 65 }, (_, i) => ({ key: `k${i}`, match: { value: i } })) }),
    fc.constant({ should: Array.from({ length: 64 }, (_, i) => ({ key: "i", match: { any: Array.from({ length: 1024 }, (_, j) => i * 1024 + j) } })) }),
    fc.constantFrom({}, [], "owner = B", { must: {} }, { must: [null] }, { or: [] }),
  ),
  4,
);

const anyConsistency: fc.Arbitrary<JsonValue> = mostly(
  fc.constantFrom("READ_CONSISTENCY_STRONG", "READ_CONSISTENCY_EVENTUAL", "READ_CONSISTENCY_UNSPECIFIED"),
  fc.constantFrom(0, 1, 2, 3, 7, -1, "EVENTUAL", null),
  4,
);
const anyDistance: fc.Arbitrary<JsonValue> = mostly(
  fc.constantFrom("DISTANCE_COSINE", "DISTANCE_EUCLIDEAN", "DISTANCE_DOT"),
  fc.constantFrom("DISTANCE_UNSPECIFIED", 0, 1, 2, 3, 4, 99, -1, "cosine", null),
  4,
);
const anyIndexKind: fc.Arbitrary<JsonValue> = mostly(
  fc.constantFrom("PAYLOAD_INDEX_KIND_KEYWORD", "PAYLOAD_INDEX_KIND_INTEGER", "PAYLOAD_INDEX_KIND_FLOAT", "PAYLOAD_INDEX_KIND_BOOL"),
  fc.constantFrom("PAYLOAD_INDEX_KIND_UNSPECIFIED", 0, 5, 77, "keyword"),
  4,
);
const anyFlag: fc.Arbitrary<JsonValue> = mostly<JsonValue>(fc.boolean(), fc.constantFrom("true", 1, null), 12);

/**
 * Everything a request may list (ids, keys, queries): usually a few, sometimes none, or
 * `count` copies of a small `filler` (one over the limit; small, so the body stays small).
 */
function anyList<T>(item: fc.Arbitrary<T>, count: number, filler: T): fc.Arbitrary<T[]> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.array(item, { minLength: 1, maxLength: 3 }) },
    { weight: 1, arbitrary: fc.constant<T[]>([]) },
    { weight: 1, arbitrary: fc.constant(Array<T>(count).fill(filler)) },
  );
}

/** One method's body arbitrary and how often it is picked. */
type Bodies = [weight: number, method: string, body: fc.Arbitrary<Record<string, unknown>>][];

/** Request bodies for every VectronService RPC, against the fuzzer's and the victim's names and ids. */
export function vectronRequests(pools: FuzzPools): fc.Arbitrary<FuzzRequest> {
  const collection: fc.Arbitrary<JsonValue> = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...pools.ownNames) },
    { weight: 4, arbitrary: fc.constantFrom(...pools.victimNames) },
    { weight: 1, arbitrary: anyText },
    { weight: 1, arbitrary: wrongType },
  );
  // Creates take only names that exist or are invalid, so the fuzzer's collections stay few.
  const validName = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
  const newName: fc.Arbitrary<JsonValue> = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...pools.ownNames) },
    { weight: 4, arbitrary: fc.constantFrom(...pools.victimNames) },
    { weight: 2, arbitrary: anyText.filter((name) => !validName.test(name)) },
    { weight: 1, arbitrary: wrongType },
  );
  const id: fc.Arbitrary<JsonValue> = mostly(fc.constantFrom(...pools.sharedIds, "a0", "a1", "new"), fc.oneof(anyText, wrongType), 4);
  const vector = anyVector(pools.dimension);
  const point = fc.record({ id, vector, payload: anyPayload }, { requiredKeys: ["id", "vector"] });
  const query = fc.record({ vector, topK: anyCount, filter: anyFilter }, { requiredKeys: ["vector"] });
  const index = fc.record({ key: anyKey, kind: anyIndexKind }, { requiredKeys: [] });
  const smallPoint = { id: "p0", vector: Array(pools.dimension).fill(0.5) };
  const reads = { consistency: anyConsistency, withPayload: anyFlag, withVector: anyFlag };
  const bodies: Bodies = [
    [
      2,
      "CreateCollection",
      fc.record(
        {
          name: newName,
          dimension: mostly(fc.constant(pools.dimension), fc.oneof(hostileCount, fc.constant(4096))),
          distance: anyDistance,
          shardCount: smallCount,
          replicationFactor: smallCount,
          payloadIndexes: fc.array(index, { maxLength: 2 }),
        },
        { requiredKeys: ["name", "dimension", "distance"] },
      ),
    ],
    [2, "GetCollection", fc.record({ name: collection }, { requiredKeys: [] })],
    [2, "ListCollections", fc.constant({})],
    [1, "DeleteCollection", fc.record({ name: collection }, { requiredKeys: [] })],
    [2, "CreatePayloadIndex", fc.record({ collection, index }, { requiredKeys: [] })],
    [2, "DeletePayloadIndex", fc.record({ collection, key: anyKey }, { requiredKeys: [] })],
    [4, "Upsert", fc.record({ collection, points: anyList<JsonValue>(point, 10_001, smallPoint), writeQuorum: smallCount }, { requiredKeys: ["collection", "points"] })],
    [3, "Get", fc.record({ collection, ids: anyList(id, 10_001, "p0"), ...reads }, { requiredKeys: ["collection", "ids"] })],
    [2, "Delete", fc.record({ collection, ids: anyList(id, 10_001, "p0"), filter: anyFilter, writeQuorum: smallCount }, { requiredKeys: ["collection"] })],
    [3, "SetPayload", fc.record({ collection, ids: anyList(id, 10_001, "p0"), payload: anyPayload, overwrite: anyFlag, writeQuorum: smallCount }, { requiredKeys: ["collection", "ids", "payload"] })],
    [2, "DeletePayloadKeys", fc.record({ collection, ids: anyList(id, 10_001, "p0"), keys: anyList(mostly(fc.constantFrom("owner", "i", "n", "tags"), anyText, 3), 1025, "k"), writeQuorum: smallCount }, { requiredKeys: ["collection", "ids", "keys"] })],
    [4, "Search", fc.record({ collection, vector, topK: anyCount, filter: anyFilter, ef: anyCount, allowPartial: anyFlag, ...reads }, { requiredKeys: ["collection", "vector"] })],
    [4, "SearchBatch", fc.record({ collection, queries: anyList<JsonValue>(query, 1001, { vector: smallPoint.vector }), ef: anyCount, allowPartial: anyFlag, ...reads }, { requiredKeys: ["collection", "queries"] })],
    [3, "Count", fc.record({ collection, filter: anyFilter, consistency: anyConsistency }, { requiredKeys: ["collection"] })],
    [3, "Scroll", fc.record({ collection, filter: anyFilter, limit: anyCount, cursor: mostly(fc.constantFrom("", "cDA", "cDI", "YTA"), fc.oneof(anyText, fc.constantFrom("AA", "_-_-", "cDA=", "////"))), ...reads }, { requiredKeys: ["collection"] })],
  ];
  return fc.oneof(
    ...bodies.map(([weight, method, body]) => ({ weight, arbitrary: body.map((b): FuzzRequest => ({ service: "vectron.v1.VectronService", method, body: b })) })),
  );
}

/**
 * Request bodies for every AuthService RPC. Register and Login run bcrypt, so they come
 * less often; no body ever names the fuzzer's own API key, which would end the run.
 */
export function authRequests(pools: FuzzPools, fuzzerEmail: string): fc.Arbitrary<FuzzRequest> {
  const email = fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 10 }).map((local) => `fuzz-${local}@example.com`) },
    { weight: 1, arbitrary: fc.constant(fuzzerEmail) },
    { weight: 2, arbitrary: anyText.map((text) => `${text}@example.com`) },
    { weight: 1, arbitrary: anyText },
  );
  const password = fc.oneof(anyText, fc.constantFrom("correct horse battery staple", "1234567", "12345678", "é".repeat(36), "é".repeat(37), "x".repeat(73)));
  const keyId = fc.oneof(fc.constant(pools.victimKeyId), anyText, fc.uuid());
  const bodies: Bodies = [
    [1, "RegisterUser", fc.record({ email, password }, { requiredKeys: [] })],
    [1, "Login", fc.record({ email, password }, { requiredKeys: [] })],
    [2, "RefreshToken", fc.oneof(fc.constant({}), fc.record({ token: anyText }))],
    [3, "GetUserProfile", fc.constant({})],
    [3, "CreateAPIKey", fc.record({ name: anyText }, { requiredKeys: [] })],
    [3, "ListAPIKeys", fc.constant({})],
    [3, "DeleteAPIKey", fc.record({ id: keyId }, { requiredKeys: [] })],
  ];
  return fc.oneof(
    ...bodies.map(([weight, method, body]) => ({ weight, arbitrary: body.map((b): FuzzRequest => ({ service: "vectron.auth.v1.AuthService", method, body: b })) })),
  );
}
