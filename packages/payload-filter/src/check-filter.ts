import type { Value } from "@bufbuild/protobuf/wkt";
import type { Condition, Filter, Match, Range } from "@vectron/proto/v1";
import { invalidArgument } from "@vectron/rpc-errors";
import { filterLimits } from "./filter-limits";
import type { ConditionTest, FilterCondition, FilterValue, PayloadFilter } from "./payload-filter";

/**
 * Validates a proto Filter and turns it into a PayloadFilter (undefined → undefined: no
 * filter). Throws `invalidArgument` naming the field at fault, e.g.
 * `filter.must[2].match.any[0]: must be a string, number or boolean`.
 *
 * Rules: a key is non-empty, well-formed Unicode, at most 256 characters and 16
 * dot-separated segments, none empty. A condition has exactly one of `match` (`value`,
 * or a non-empty `any` of at most 1,024 values) or `range` (at least one of gt, gte, lt,
 * lte). Values are strings (well-formed Unicode), finite numbers or booleans; never null,
 * objects or arrays. At most 64 conditions in all (see filterLimits).
 */
export function checkFilter(field: string, filter: Filter | undefined): PayloadFilter | undefined {
  if (filter === undefined) return undefined;
  const total = filter.must.length + filter.should.length + filter.mustNot.length;
  if (total > filterLimits.conditions) {
    throw invalidArgument(field, `must have at most ${filterLimits.conditions} conditions in all (has ${total})`);
  }
  return {
    must: filter.must.map((c, i) => checkCondition(`${field}.must[${i}]`, c)),
    should: filter.should.map((c, i) => checkCondition(`${field}.should[${i}]`, c)),
    mustNot: filter.mustNot.map((c, i) => checkCondition(`${field}.mustNot[${i}]`, c)),
  };
}

function checkCondition(field: string, condition: Condition): FilterCondition {
  const path = checkFilterKey(`${field}.key`, condition.key);
  let test: ConditionTest;
  switch (condition.test.case) {
    case "match":
      test = checkMatch(`${field}.match`, condition.test.value);
      break;
    case "range":
      test = checkRange(`${field}.range`, condition.test.value);
      break;
    default:
      throw invalidArgument(field, "must have a match or a range");
  }
  return { path, key: condition.key, test };
}

/**
 * The segments of a dotted payload key, checked by the key rules above (so payload index
 * keys obey exactly what filter keys do); throws `invalidArgument` naming `field`.
 */
export function checkFilterKey(field: string, key: string): string[] {
  if (key === "") throw invalidArgument(field, "must not be empty");
  if (!key.isWellFormed()) throw invalidArgument(field, "must be well-formed Unicode (no lone surrogates)");
  const length = [...key].length;
  if (length > filterLimits.keyLength) {
    throw invalidArgument(field, `must be at most ${filterLimits.keyLength} characters (has ${length})`);
  }
  const path = key.split(".");
  if (path.some((segment) => segment === "")) {
    throw invalidArgument(field, `must not have an empty segment: dots separate non-empty names, as in "a.b"`);
  }
  if (path.length > filterLimits.keySegments) {
    throw invalidArgument(field, `must have at most ${filterLimits.keySegments} segments (has ${path.length})`);
  }
  return path;
}

function checkMatch(field: string, match: Match): ConditionTest {
  switch (match.kind.case) {
    case "value":
      return { kind: "equals", values: [checkValue(`${field}.value`, match.kind.value)] };
    case "any": {
      const values = match.kind.value.values;
      if (values.length === 0) throw invalidArgument(`${field}.any`, "must not be empty");
      if (values.length > filterLimits.anyValues) {
        throw invalidArgument(`${field}.any`, `must have at most ${filterLimits.anyValues} values (has ${values.length})`);
      }
      return { kind: "equals", values: values.map((value, i) => checkValue(`${field}.any[${i}]`, value)) };
    }
    default:
      throw invalidArgument(field, "must have a value or any");
  }
}

/** A `google.protobuf.Value` message (protobuf-es v2 keeps Value and ListValue fields as messages). */
function checkValue(field: string, value: Value): FilterValue {
  const kind = value.kind;
  switch (kind.case) {
    case "boolValue":
      return kind.value;
    case "numberValue":
      if (!Number.isFinite(kind.value)) throw invalidArgument(field, "must be a finite number");
      return kind.value;
    case "stringValue":
      if (!kind.value.isWellFormed()) throw invalidArgument(field, "must be well-formed Unicode (no lone surrogates)");
      return kind.value;
    default:
      throw invalidArgument(field, "must be a string, number or boolean");
  }
}

const bounds = ["gt", "gte", "lt", "lte"] as const;

function checkRange(field: string, range: Range): ConditionTest {
  const test: ConditionTest = { kind: "range" };
  for (const bound of bounds) {
    const value = range[bound];
    if (value === undefined) continue;
    if (!Number.isFinite(value)) throw invalidArgument(`${field}.${bound}`, "must be a finite number");
    test[bound] = value;
  }
  if (Object.keys(test).length === 1) throw invalidArgument(field, "must have at least one of gt, gte, lt, lte");
  return test;
}
