/** A filter condition as a Connect JSON body spells it (README, "Filters"). */
export type JsonCondition =
  | { key: string; match: { value: string | number | boolean } }
  | { key: string; range: { gt?: number; gte?: number; lt?: number; lte?: number } };

/** A Search filter as a Connect JSON body spells it. */
export interface JsonFilter {
  must?: JsonCondition[];
  should?: JsonCondition[];
  mustNot?: JsonCondition[];
}

/** Keeps the points whose payload number at `key` is below `limit`. */
export const numberBelow = (key: string, limit: number): JsonFilter => ({ must: [{ key, range: { lt: limit } }] });

/** Keeps the points whose payload value at `key` equals `value` (type-strict). */
export const valueEquals = (key: string, value: string | number | boolean): JsonFilter => ({ must: [{ key, match: { value } }] });
