import { create, fromJson, type MessageInitShape } from "@bufbuild/protobuf";
import { ListValueSchema, ValueSchema } from "@bufbuild/protobuf/wkt";
import { FilterSchema, type ConditionSchema, type Filter as ProtoFilter } from "@vectron/proto/v1";
import type { Condition, Filter } from "./filter.js";

type ConditionInit = MessageInitShape<typeof ConditionSchema>;

/** The proto message of a filter; undefined stays undefined (no filter). */
export function toProtoFilter(filter: Filter | undefined): ProtoFilter | undefined {
  if (filter === undefined) return undefined;
  if (typeof filter !== "object" || filter === null) {
    throw new TypeError("filter must be an object { must?, should?, mustNot? } of conditions");
  }
  return create(FilterSchema, {
    must: conditionsOf(filter.must, "must"),
    should: conditionsOf(filter.should, "should"),
    mustNot: conditionsOf(filter.mustNot, "mustNot"),
  });
}

function conditionsOf(conditions: Condition[] | undefined, field: string): ConditionInit[] {
  if (conditions === undefined) return [];
  if (!Array.isArray(conditions)) throw new TypeError(`filter.${field} must be an array of conditions`);
  return conditions.map((condition, i) => conditionOf(condition, `filter.${field}[${i}]`));
}

function conditionOf(condition: Condition, path: string): ConditionInit {
  if (typeof condition?.key !== "string") throw new TypeError(`${path}.key must be a string (a payload key, dots for nested keys)`);
  if (condition.match !== undefined && condition.range === undefined) {
    const { match } = condition;
    if (match.any !== undefined) {
      if (!Array.isArray(match.any)) throw new TypeError(`${path}.match.any must be an array of strings, numbers or booleans`);
      return { key: condition.key, test: { case: "match", value: { kind: { case: "any", value: fromJson(ListValueSchema, match.any) } } } };
    }
    if (match.value === undefined) throw new TypeError(`${path}.match needs a value ({ value: v }) or a list ({ any: [v, ...] })`);
    return { key: condition.key, test: { case: "match", value: { kind: { case: "value", value: fromJson(ValueSchema, match.value) } } } };
  }
  if (condition.range !== undefined && condition.match === undefined) {
    const { gt, gte, lt, lte } = condition.range;
    return { key: condition.key, test: { case: "range", value: { gt, gte, lt, lte } } };
  }
  throw new TypeError(`${path} needs exactly one of match ({ value } or { any }) and range ({ gt, gte, lt, lte })`);
}
