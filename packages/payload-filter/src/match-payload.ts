import type { ConditionTest, FilterCondition, PayloadFilter } from "./payload-filter";

/**
 * Evaluates a checked filter against a parsed payload (normally a JSON object). The
 * rules are those of FilterCondition; filterToSql compiles the same rules to SQLite.
 */
export function matchesPayload(filter: PayloadFilter, payload: unknown): boolean {
  for (const condition of filter.must) {
    if (!conditionMatches(condition, payload)) return false;
  }
  for (const condition of filter.mustNot) {
    if (conditionMatches(condition, payload)) return false;
  }
  return filter.should.length === 0 || filter.should.some((condition) => conditionMatches(condition, payload));
}

/** Whether one condition matches: the value at its path, or ANY element of an array there. */
function conditionMatches(condition: FilterCondition, payload: unknown): boolean {
  const value = valueAt(payload, condition.path);
  if (Array.isArray(value)) return value.some((element) => scalarMatches(condition.test, element));
  return scalarMatches(condition.test, value);
}

/**
 * The value at a path through nested objects, or undefined if any step is not an object
 * or lacks the key. Own properties only, so `constructor` or `__proto__` in a filter
 * never reach Object.prototype; arrays are never indexed (`a.0` is missing).
 */
function valueAt(payload: unknown, path: string[]): unknown {
  let value = payload;
  for (const segment of path) {
    if (typeof value !== "object" || value === null || Array.isArray(value) || !Object.hasOwn(value, segment)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function scalarMatches(test: ConditionTest, value: unknown): boolean {
  if (test.kind === "equals") {
    // includes() is strict about types (1 never equals "1" or true) and treats 0 and -0 alike.
    const type = typeof value;
    return (type === "string" || type === "number" || type === "boolean") && test.values.includes(value as string);
  }
  if (typeof value !== "number") return false;
  return (
    (test.gt === undefined || value > test.gt) &&
    (test.gte === undefined || value >= test.gte) &&
    (test.lt === undefined || value < test.lt) &&
    (test.lte === undefined || value <= test.lte)
  );
}
