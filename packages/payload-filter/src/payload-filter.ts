/** A value a filter compares payload values with (`match.value`, `match.any`). */
export type FilterValue = string | number | boolean;

/** The test of one condition: equality with any of `values`, or a numeric range. */
export type ConditionTest =
  | { kind: "equals"; values: FilterValue[] }
  | { kind: "range"; gt?: number; gte?: number; lt?: number; lte?: number };

/**
 * One checked condition. `key` is the dotted key as the client sent it (for messages);
 * `path` is its segments, followed through nested objects only.
 *
 * Matching rules (the same in matchesPayload and filterToSql):
 * - the value at `path` is found by descending through objects; an array or scalar on
 *   the way means the key is missing, and a missing key never matches;
 * - if the value found is an array, the condition matches when ANY element matches
 *   (Qdrant's rule); elements that are themselves arrays or objects never match;
 * - `equals` is type-strict: strings and booleans equal only the same string or boolean,
 *   numbers equal numbers of the same value (1 equals 1.0, never "1" or true);
 * - `range` matches numbers only, within every bound given.
 */
export type FilterCondition = { path: string[]; key: string; test: ConditionTest };

/**
 * A checked filter in a plain form that can cross threads (structured-clone safe, no
 * protobuf classes): every `must` matches, at least one `should` matches when `should`
 * is non-empty, and no `mustNot` matches. Build one with checkFilter.
 */
export type PayloadFilter = { must: FilterCondition[]; should: FilterCondition[]; mustNot: FilterCondition[] };

/** True if the filter is present and has no conditions at all (it matches everything). */
export function isEmptyFilter(filter: PayloadFilter | undefined): boolean {
  return filter !== undefined && filter.must.length === 0 && filter.should.length === 0 && filter.mustNot.length === 0;
}
