export type { PayloadFilter, FilterCondition, ConditionTest, FilterValue } from "./payload-filter";
export { isEmptyFilter } from "./payload-filter";
export { checkFilter, checkFilterKey } from "./check-filter";
export { filterLimits, filterLimitsFrom, type FilterLimits } from "./filter-limits";
export { matchesPayload } from "./match-payload";
export { filterToSql, type SqlFilter } from "./filter-to-sql";
export { jsonPathOf } from "./json-path";
