/** A value a payload field is compared with; equality is type-strict (`1` is not `"1"`). */
export type MatchValue = string | number | boolean;

/** The payload value at `key` equals `value`, or one of `any` (an array at the key matches if any element does). */
export interface MatchCondition {
  /** Payload key; nested keys use dots (`a.b`). */
  key: string;
  match: { value: MatchValue; any?: never } | { any: MatchValue[]; value?: never };
  range?: never;
}

/** The payload number at `key` lies within the bounds given (each optional). */
export interface RangeCondition {
  /** Payload key; nested keys use dots (`a.b`). */
  key: string;
  range: { gt?: number; gte?: number; lt?: number; lte?: number };
  match?: never;
}

/** One condition of a filter. A missing key never matches. */
export type Condition = MatchCondition | RangeCondition;

/**
 * A payload filter: every `must` condition, at least one `should` condition (when there
 * are any), and no `mustNot` condition. At most 64 conditions in all.
 *
 * @example
 * { must: [{ key: "lang", match: { value: "en" } }], mustNot: [{ key: "year", range: { lt: 2000 } }] }
 */
export interface Filter {
  must?: Condition[];
  should?: Condition[];
  mustNot?: Condition[];
}
