import { describe, expect, test } from "bun:test";
import { create, fromJson, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema, type Value } from "@bufbuild/protobuf/wkt";
import { ConditionSchema, FilterSchema, MatchSchema, RangeSchema } from "@vectron/proto/v1";
import { VectronError } from "@vectron/rpc-errors";
import { checkFilter } from "./check-filter";
import { isEmptyFilter } from "./payload-filter";

/** checkFilter of a Connect JSON filter, as a client sends it. */
function check(json: JsonValue, field = "filter") {
  return checkFilter(field, fromJson(FilterSchema, json));
}

function expectInvalid(run: () => unknown, message: string): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(VectronError);
  expect((caught as VectronError).code).toBe("invalid_argument");
  expect((caught as VectronError).message).toBe(message);
}

const eq = (key: string, value: JsonValue) => ({ key, match: { value } });

describe("checkFilter accepts", () => {
  test("no filter as no filter", () => {
    expect(checkFilter("filter", undefined)).toBeUndefined();
  });

  test("an empty filter, which matches everything", () => {
    const filter = check({});
    expect(filter).toEqual({ must: [], should: [], mustNot: [] });
    expect(isEmptyFilter(filter)).toBe(true);
    expect(isEmptyFilter(undefined)).toBe(false);
    expect(isEmptyFilter(check({ should: [eq("a", 1)] }))).toBe(false);
  });

  test("every kind of condition, in a plain structured-clone-safe form", () => {
    const filter = check({
      must: [eq("a.b", "x"), { key: "n", match: { any: [1, "1", true] } }],
      should: [{ key: "price", range: { gte: 1.5, lt: 10 } }],
      mustNot: [eq("flag", false)],
    });
    expect(filter).toEqual({
      must: [
        { path: ["a", "b"], key: "a.b", test: { kind: "equals", values: ["x"] } },
        { path: ["n"], key: "n", test: { kind: "equals", values: [1, "1", true] } },
      ],
      should: [{ path: ["price"], key: "price", test: { kind: "range", gte: 1.5, lt: 10 } }],
      mustNot: [{ path: ["flag"], key: "flag", test: { kind: "equals", values: [false] } }],
    });
    expect(structuredClone(filter)).toEqual(filter!);
    expect(JSON.stringify(filter)).not.toContain("$typeName");
  });

  test("limits exactly: 64 conditions, 1,024 values, 256 characters, 16 segments", () => {
    const conditions = Array.from({ length: 32 }, (_, i) => eq(`k${i}`, i));
    expect(check({ must: conditions, mustNot: conditions })!.must).toHaveLength(32);
    const values = Array.from({ length: 1024 }, (_, i) => i);
    expect(check({ must: [{ key: "a", match: { any: values } }] })!.must[0]!.test).toEqual({ kind: "equals", values });
    expect(check({ must: [eq("k".repeat(256), 1)] })!.must[0]!.path).toEqual(["k".repeat(256)]);
    // 256 characters are code points: 256 emoji are 512 UTF-16 units.
    expect(check({ must: [eq("😀".repeat(256), 1)] })!.must[0]!.key).toHaveLength(512);
    expect(check({ must: [eq(Array(16).fill("s").join("."), 1)] })!.must[0]!.path).toHaveLength(16);
  });

  test("keys with characters special to JSON paths or JavaScript", () => {
    for (const key of [`q"t`, "b\\s", "$", "[0]", "*", "sp ace", "日本.語", "__proto__", "0"]) {
      expect(check({ must: [eq(key, 1)] })!.must[0]!.path).toEqual(key.split("."));
    }
  });
});

describe("checkFilter rejects, naming the field", () => {
  test("a condition with neither match nor range", () => {
    expectInvalid(() => check({ must: [{ key: "a" }] }), "filter.must[0]: must have a match or a range");
  });

  test("bad keys", () => {
    expectInvalid(() => check({ must: [eq("", 1)] }), "filter.must[0].key: must not be empty");
    expectInvalid(() => check({ must: [{ match: { value: 1 } }] }), "filter.must[0].key: must not be empty");
    for (const key of ["a..b", ".a", "a.", "."]) {
      expectInvalid(
        () => check({ should: [eq("ok", 1), eq(key, 1)] }),
        `filter.should[1].key: must not have an empty segment: dots separate non-empty names, as in "a.b"`,
      );
    }
    expectInvalid(() => check({ must: [eq("k".repeat(257), 1)] }), "filter.must[0].key: must be at most 256 characters (has 257)");
    expectInvalid(() => check({ must: [eq(Array(17).fill("s").join("."), 1)] }), "filter.must[0].key: must have at most 16 segments (has 17)");
    const loneSurrogate = create(FilterSchema, {
      mustNot: [create(ConditionSchema, { key: "a\ud800", test: { case: "range", value: create(RangeSchema, { gt: 1 }) } })],
    });
    expectInvalid(() => checkFilter("filter", loneSurrogate), "filter.mustNot[0].key: must be well-formed Unicode (no lone surrogates)");
  });

  test("a match with neither value nor any", () => {
    expectInvalid(() => check({ must: [eq("a", 1)], should: [{ key: "a", match: {} }] }), "filter.should[0].match: must have a value or any");
  });

  test("match.value that is null, an object or an array", () => {
    for (const value of [null, { x: 1 }, [1], []]) {
      expectInvalid(() => check({ must: [eq("a", value)] }), "filter.must[0].match.value: must be a string, number or boolean");
    }
  });

  test("match.value that is not a finite number or a well-formed string", () => {
    // Proto JSON cannot carry these, the binary encoding can.
    const withValue = (kind: Value["kind"]) =>
      create(FilterSchema, {
        must: [
          create(ConditionSchema, {
            key: "a",
            test: { case: "match", value: create(MatchSchema, { kind: { case: "value", value: create(ValueSchema, { kind }) } }) },
          }),
        ],
      });
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expectInvalid(() => checkFilter("filter", withValue({ case: "numberValue", value })), "filter.must[0].match.value: must be a finite number");
    }
    expectInvalid(
      () => checkFilter("filter", withValue({ case: "stringValue", value: "x\udc00" })),
      "filter.must[0].match.value: must be well-formed Unicode (no lone surrogates)",
    );
    expectInvalid(() => checkFilter("filter", withValue({ case: undefined })), "filter.must[0].match.value: must be a string, number or boolean");
  });

  test("bad match.any lists", () => {
    expectInvalid(() => check({ must: [{ key: "a", match: { any: [] } }] }), "filter.must[0].match.any: must not be empty");
    const tooMany = Array.from({ length: 1025 }, (_, i) => i);
    expectInvalid(() => check({ must: [{ key: "a", match: { any: tooMany } }] }), "filter.must[0].match.any: must have at most 1024 values (has 1025)");
    expectInvalid(
      () => check({ mustNot: [{ key: "a", match: { any: ["x", null] } }] }),
      "filter.mustNot[0].match.any[1]: must be a string, number or boolean",
    );
    expectInvalid(
      () => check({ must: [{ key: "a", match: { any: [{ a: 1 }] } }] }),
      "filter.must[0].match.any[0]: must be a string, number or boolean",
    );
    expectInvalid(
      () => check({ must: [eq("b", 2), eq("c", 3), { key: "a", match: { any: [[1]] } }] }),
      "filter.must[2].match.any[0]: must be a string, number or boolean",
    );
  });

  test("a range with no bound or a bound that is not finite", () => {
    expectInvalid(() => check({ must: [{ key: "a", range: {} }] }), "filter.must[0].range: must have at least one of gt, gte, lt, lte");
    // Proto JSON accepts "NaN" and "Infinity" for doubles.
    for (const bound of ["gt", "gte", "lt", "lte"]) {
      for (const value of ["NaN", "Infinity", "-Infinity"]) {
        expectInvalid(() => check({ should: [{ key: "a", range: { [bound]: value } }] }), `filter.should[0].range.${bound}: must be a finite number`);
      }
    }
  });

  test("more than 64 conditions in all", () => {
    const conditions = Array.from({ length: 22 }, (_, i) => eq(`k${i}`, i));
    expectInvalid(
      () => check({ must: conditions, should: conditions, mustNot: [...conditions, eq("x", 1)] }),
      "filter: must have at most 64 conditions in all (has 67)",
    );
  });

  test("under the caller's field name", () => {
    expectInvalid(() => check({ must: [eq("a", null)] }, "queries[3].filter"), "queries[3].filter.must[0].match.value: must be a string, number or boolean");
  });
});
