import fc from "fast-check";

/**
 * Ways to break a Connect JSON request body that a well-typed generator never produces:
 * unknown fields, fields of the wrong type, bodies that are not objects or not JSON at
 * all, very deep nesting, truncation. Each turns the intended body into the text sent.
 */
export type JsonMutation = (body: unknown) => string;

const anyJson = fc.jsonValue({ maxDepth: 2 });

export const jsonMutations: fc.Arbitrary<JsonMutation> = fc.oneof(
  { weight: 12, arbitrary: fc.constant((body: unknown) => JSON.stringify(body)) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.string({ maxLength: 8 }), anyJson).map(([key, value]) => (body: unknown) => JSON.stringify(withField(body, key, value))),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.nat(), anyJson).map(([at, value]) => (body: unknown) => {
      const keys = isObject(body) ? Object.keys(body) : [];
      return JSON.stringify(keys.length ? withField(body, keys[at % keys.length]!, value) : value);
    }),
  },
  { weight: 1, arbitrary: anyJson.map((value) => () => JSON.stringify(value)) },
  {
    weight: 1,
    arbitrary: fc.nat().map((cut) => (body: unknown) => {
      const text = JSON.stringify(body);
      return text.slice(0, cut % Math.max(1, text.length));
    }),
  },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }).map((text) => () => text) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      () => "",
      () => "null",
      () => "[]",
      () => "{}{}",
      () => '{"collection":"mine","collection":"shared"}',
      () => '{"__proto__":{"admin":true}}',
      () => "[".repeat(100_000) + "]".repeat(100_000),
      () => '{"a":'.repeat(50_000) + "1" + "}".repeat(50_000),
      () => `{"collection":"mine","points":[{"id":"x","vector":[1e999,1,1,1]}]}`,
    ),
  },
);

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function withField(body: unknown, key: string, value: unknown): unknown {
  return isObject(body) ? { ...body, [key]: value } : { [key]: value };
}
