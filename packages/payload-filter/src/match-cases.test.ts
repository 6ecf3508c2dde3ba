import { afterAll, describe, expect, test } from "bun:test";
import type { JsonValue } from "@bufbuild/protobuf";
import { matchesPayload } from "./match-payload";
import { filterOf, PayloadTable } from "./test-fixtures";

/**
 * Each case runs through both evaluators: matchesPayload on the parsed payload, and
 * filterToSql in a real SQLite over the payload's JSON text. A string payload is the
 * stored JSON text itself (to pin how SQLite reads numbers the way JSON.parse does).
 */
type Case = [name: string, filter: JsonValue, payload: object | string, matches: boolean];

const table = new PayloadTable();
afterAll(() => table.close());

function run(cases: Case[]): void {
  for (const [name, filterJson, payload, expected] of cases) {
    test(name, () => {
      const text = typeof payload === "string" ? payload : JSON.stringify(payload);
      const filter = filterOf(filterJson);
      expect(matchesPayload(filter, JSON.parse(text))).toBe(expected);
      table.fill([text]);
      expect(table.select(filter)).toEqual(expected ? [0] : []);
    });
  }
}

const eq = (key: string, value: JsonValue) => ({ must: [{ key, match: { value } }] });
const any = (key: string, values: JsonValue[]) => ({ must: [{ key, match: { any: values } }] });
const range = (key: string, bounds: Record<string, number>) => ({ must: [{ key, range: bounds }] });
const not = (key: string, value: JsonValue) => ({ mustNot: [{ key, match: { value } }] });

describe("match.value", () => {
  run([
    ["equal string", eq("color", "red"), { color: "red" }, true],
    ["other string", eq("color", "blue"), { color: "red" }, false],
    ["strings are case-sensitive", eq("color", "Red"), { color: "red" }, false],
    ["empty string", eq("s", ""), { s: "" }, true],
    ["unicode string", eq("s", "日本語 😀"), { s: "日本語 😀" }, true],
    ["equal integer", eq("n", 1), { n: 1 }, true],
    ["1 equals 1.0 in the JSON text", eq("n", 1), `{"n":1.0}`, true],
    ["1.0e0 equals 1", eq("n", 1), `{"n":1.0e0}`, true],
    ["equal fraction", eq("n", 0.1 + 0.2), { n: 0.30000000000000004 }, true],
    ["near fraction", eq("n", 0.3), { n: 0.30000000000000004 }, false],
    ["negative", eq("n", -7.25), { n: -7.25 }, true],
    ["0 equals -0", eq("n", -0), { n: 0 }, true],
    ["-0 in the JSON text equals 0", eq("n", 0), `{"n":-0.0}`, true],
    ["1e21", eq("n", 1e21), { n: 1e21 }, true],
    ["smallest subnormal", eq("n", 5e-324), { n: 5e-324 }, true],
    ["largest double", eq("n", 1.7976931348623157e308), { n: 1.7976931348623157e308 }, true],
    // JSON.stringify writes 2^62 + 1024 as 4611686018427389000, which SQLite reads as a
    // 64-bit integer; JSON.parse reads it as the double 4611686018427388928.
    ["integer past 2^53 written short", eq("n", 4611686018427388928), { n: 4611686018427388928 }, true],
    ["integer past 2^63", eq("n", 2 ** 64), { n: 2 ** 64 }, true],
    ["integer text past 2^53 rounds like JSON.parse", eq("n", 9007199254740992), `{"n":9007199254740993}`, true],
    ["true", eq("b", true), { b: true }, true],
    ["false", eq("b", false), { b: false }, true],
    ["true is not false", eq("b", true), { b: false }, false],
  ]);
});

describe("type strictness", () => {
  run([
    ["number 1 is not string '1'", eq("v", 1), { v: "1" }, false],
    ["string '1' is not number 1", eq("v", "1"), { v: 1 }, false],
    ["true is not 1", eq("v", true), { v: 1 }, false],
    ["1 is not true", eq("v", 1), { v: true }, false],
    ["false is not 0", eq("v", false), { v: 0 }, false],
    ["0 is not false", eq("v", 0), { v: false }, false],
    ["false is not 'false'", eq("v", false), { v: "false" }, false],
    ["'true' is not true", eq("v", "true"), { v: true }, false],
    ["'' is not false or null", eq("v", ""), { v: null }, false],
    ["null never matches", any("v", ["null", 0, false, ""]), { v: null }, false],
    ["an object never matches", eq("v", 1), { v: { x: 1 } }, false],
    ["an array element is not its JSON text", eq("v", "[1]"), { v: [[1]] }, false],
    ["an object element is not its JSON text", eq("v", "{}"), { v: [{}] }, false],
    ["range on a numeric string", range("v", { gt: 1 }), { v: "5" }, false],
    ["range on a boolean", range("v", { gte: 0 }), { v: true }, false],
    ["range on null", range("v", { lte: 0 }), { v: null }, false],
  ]);
});

describe("match.any", () => {
  run([
    ["one of several strings", any("c", ["x", "red", "y"]), { c: "red" }, true],
    ["none of several", any("c", ["x", "y"]), { c: "red" }, false],
    ["mixed types pick by type", any("v", ["1", true]), { v: 1 }, false],
    ["mixed types match number", any("v", ["1", true, 1]), { v: 1 }, true],
    ["mixed types match boolean", any("v", ["1", false, 1]), { v: false }, true],
    ["both booleans", any("v", [true, false]), { v: true }, true],
    ["big integers in a list", any("n", [1, 4611686018427388928]), { n: 4611686018427388928 }, true],
    ["a single-value list", any("n", [2.5]), { n: 2.5 }, true],
  ]);
});

describe("range", () => {
  run([
    ["gt excludes the bound", range("n", { gt: 5 }), { n: 5 }, false],
    ["gt above", range("n", { gt: 5 }), { n: 5.000000000000001 }, true],
    ["gte includes the bound", range("n", { gte: 5 }), { n: 5 }, true],
    ["lt excludes the bound", range("n", { lt: 5 }), { n: 5 }, false],
    ["lt below", range("n", { lt: 5 }), { n: -1e300 }, true],
    ["lte includes the bound", range("n", { lte: 5 }), { n: 5 }, true],
    ["between", range("n", { gt: 1, lt: 10 }), { n: 3.5 }, true],
    ["outside", range("n", { gt: 1, lt: 10 }), { n: 10 }, false],
    ["gt and gte both apply", range("n", { gt: 3, gte: 1 }), { n: 2 }, false],
    ["an empty interval matches nothing", range("n", { gt: 10, lt: 1 }), { n: 5 }, false],
    ["-0 is not above 0", range("n", { gt: -0 }), { n: 0 }, false],
    ["integer text past 2^53 compares as a double", range("n", { gte: 4611686018427388928 }), `{"n":4611686018427389000}`, true],
    ["and the same from the other side", range("n", { lte: 4611686018427388928 }), `{"n":4611686018427389000}`, true],
  ]);
});

describe("arrays: any element matches", () => {
  run([
    ["string in an array", eq("tags", "b"), { tags: ["a", "b"] }, true],
    ["string not in an array", eq("tags", "c"), { tags: ["a", "b"] }, false],
    ["any over an array", any("tags", ["z", "a"]), { tags: ["a", "b"] }, true],
    ["number in a mixed array", eq("v", 2), { v: ["2", 2] }, true],
    ["type strict in arrays", eq("v", 2), { v: ["2", true, null] }, false],
    ["boolean in an array", eq("v", true), { v: [1, true] }, true],
    ["range: some element in range", range("v", { gt: 5 }), { v: [1, 10] }, true],
    ["range: one element must satisfy every bound", range("v", { gt: 2, lt: 8 }), { v: [1, 10] }, false],
    ["range: one element in between", range("v", { gt: 2, lt: 8 }), { v: [1, 5, 10] }, true],
    ["nested arrays are not flattened", eq("v", 1), { v: [[1]] }, false],
    ["objects in an array are not matched", eq("v", 1), { v: [{ x: 1 }] }, false],
    ["keys do not descend into arrays", eq("v.x", 1), { v: [{ x: 1 }] }, false],
    ["arrays are not indexed by keys", eq("v.0", "a"), { v: ["a"] }, false],
    ["an empty array matches nothing", any("v", ["a", 1, true]), { v: [] }, false],
    ["mustNot over an empty array", not("v", "a"), { v: [] }, true],
    ["mustNot over an array with it", not("v", "a"), { v: ["b", "a"] }, false],
    ["mustNot over an array without it", not("v", "a"), { v: ["b", "c"] }, true],
  ]);
});

describe("nested keys and missing keys", () => {
  run([
    ["nested key", eq("a.b.c", 1), { a: { b: { c: 1 } } }, true],
    ["nested key, other value", eq("a.b.c", 2), { a: { b: { c: 1 } } }, false],
    ["missing key", eq("a", 1), { b: 1 }, false],
    ["missing intermediate", eq("a.b", 1), { a: { c: 1 } }, false],
    ["scalar where an object is expected", eq("a.b", 1), { a: 1 }, false],
    ["null where an object is expected", eq("a.b", 1), { a: null }, false],
    ["string where an object is expected", eq("a.length", 1), { a: "x" }, false],
    ["an object at the key", eq("a", 1), { a: { b: 1 } }, false],
    ["range on an object's member is not the object", range("a", { gt: 0 }), { a: { b: 1 } }, false],
    ["a literal dotted key is not a path", eq("a.b", 1), { "a.b": 1 }, false],
    ["mustNot of a missing key", not("a", 1), {}, true],
    ["mustNot of a type mismatch", not("a", 1), { a: "1" }, true],
    ["mustNot of null", not("a", 1), { a: null }, true],
    ["Object.prototype is not the payload", eq("constructor", 1), {}, false],
    ["nor is toString", not("toString", "x"), {}, true],
    ["an own __proto__ key", eq("__proto__", 5), `{"__proto__":5}`, true],
    ["an own constructor key", eq("constructor.name", "x"), { constructor: { name: "x" } }, true],
  ]);
});

describe("keys with special characters", () => {
  run([
    ["unicode keys", eq("café.日本", "ok"), { café: { 日本: "ok" } }, true],
    ["emoji key", eq("😀", 1), { "😀": 1 }, true],
    ["a double quote", eq(`q"t`, 1), { 'q"t': 1 }, true],
    ["a backslash", eq("b\\s", 1), { "b\\s": 1 }, true],
    ["backslash then quote", eq(`x\\"`, 1), { 'x\\"': 1 }, true],
    ["dollar", eq("$", 1), { $: 1 }, true],
    ["brackets", eq("a.[0]", 1), { a: { "[0]": 1 } }, true],
    ["brackets are not an index", eq("a.[0]", 1), { a: [1] }, false],
    ["star", eq("*", 1), { "*": 1 }, true],
    ["star is not a wildcard", eq("*", 1), { x: 1 }, false],
    ["a space", eq("sp ace", 1), { "sp ace": 1 }, true],
    ["a newline", eq("new\nline", 1), { "new\nline": 1 }, true],
    ["a digit key", eq("0", 1), { "0": 1 }, true],
    ["a key escaped in the JSON text", eq("é", 1), `{"\\u00e9":1}`, true],
    ["a quote escaped in the JSON text", eq(`"`, 1), `{"\\u0022":1}`, true],
  ]);
});

describe("must, should, mustNot together", () => {
  const red = { key: "color", match: { value: "red" } };
  const big = { key: "size", range: { gte: 10 } };
  const sale = { key: "sale", match: { value: true } };
  run([
    ["an empty filter matches anything", {}, { a: 1 }, true],
    ["an empty filter matches an empty payload", {}, {}, true],
    ["every must", { must: [red, big] }, { color: "red", size: 12 }, true],
    ["not every must", { must: [red, big] }, { color: "red", size: 2 }, false],
    ["one should of two", { should: [red, big] }, { color: "blue", size: 12 }, true],
    ["no should of two", { should: [red, big] }, { color: "blue", size: 2 }, false],
    ["must and should", { must: [sale], should: [red, big] }, { sale: true, color: "red" }, true],
    ["must fails, should holds", { must: [sale], should: [red, big] }, { sale: false, color: "red" }, false],
    ["mustNot excludes", { should: [red, big], mustNot: [sale] }, { color: "red", sale: true }, false],
    ["mustNot of a missing key with should", { should: [red], mustNot: [sale] }, { color: "red" }, true],
    ["only mustNot", { mustNot: [red, big] }, { color: "blue", size: 1 }, true],
    ["only mustNot, one matches", { mustNot: [red, big] }, { color: "blue", size: 100 }, false],
    ["the same key twice", { must: [red, { key: "color", match: { any: ["red", "blue"] } }] }, { color: "red" }, true],
  ]);
});
