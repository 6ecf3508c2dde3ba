import type { Database } from "bun:sqlite";
import { filterToSql, isEmptyFilter, type FilterCondition, type PayloadFilter } from "@vectron/payload-filter";
import type { SqlCondition } from "./filtered-reads";
import { indexTestSql } from "./payload-index-kinds";
import type { DeclaredIndex, PayloadIndexes } from "./payload-indexes";

/**
 * Candidate counts are estimated no further than this. It is also the most candidates
 * for which an index beats the id-ordered scan on a Scroll page: the scan stops after
 * `limit` matches, the index path reads and sorts every candidate on every page.
 */
export const estimateCap = 4096;

/** How the payload indexes answer part of a filter. */
export interface IndexedPlan {
  /**
   * `SELECT [DISTINCT] v.seq FROM payload_values AS v ...`: exactly the live versions
   * that satisfy the `must` conditions an index serves, each once.
   */
  candidates: SqlCondition;
  /** The filter's other conditions, over `p.payload`; undefined when none remain. */
  residual?: SqlCondition;
  /**
   * The driving condition's entry count if below estimateCap, else estimateCap: an upper
   * bound on the candidates. Computed on first call (only Scroll needs it).
   */
  estimate: () => number;
}

/** How to evaluate a non-empty filter on one shard. */
export interface FilterPlan {
  /** The whole filter over `payload`: for scans and for checking HNSW candidates. */
  full: SqlCondition;
  /** Present when an index serves at least one `must` condition. */
  indexed?: IndexedPlan;
}

/** One `must` condition an index answers, and how many entries it has (capped; computed when needed). */
interface Served {
  index: DeclaredIndex;
  condition: FilterCondition;
  estimate?: number;
}

/**
 * Plans a non-empty filter. Each `must` condition on an indexed key whose test the
 * index's kind can answer exactly (payload-index-kinds.ts) is served by the index; the
 * served conditions are intersected: driven by the one with the fewest entries (counted
 * in the index up to estimateCap, when there are several), the others checked per
 * candidate through the by-seq index. Everything else (unindexed keys, `should`,
 * `mustNot`) is the residual, checked on the candidate rows only. A served condition is
 * answered exactly by its index, so it is not checked again; the property test
 * (payload-index.property.test.ts) holds plans to the scan and to matchesPayload.
 */
export function planFilter(db: Database, indexes: PayloadIndexes, filter: PayloadFilter): FilterPlan {
  const full = filterToSql(filter, "payload");
  const served: Served[] = [];
  const rest: FilterCondition[] = [];
  for (const condition of filter.must) {
    const index = indexes.lookup(condition.path.join("."));
    if (index && indexTestSql(index.kind, condition.test, "v.value", []) !== undefined) {
      served.push({ index, condition });
    } else {
      rest.push(condition);
    }
  }
  if (served.length === 0) return { full };
  if (served.length > 1) {
    for (const s of served) s.estimate = estimate(db, s.index, s.condition);
    served.sort((a, b) => a.estimate! - b.estimate!);
  }
  const driver = served[0]!;
  const residualFilter = { must: rest, should: filter.should, mustNot: filter.mustNot };
  return {
    full,
    indexed: {
      candidates: candidatesSql(served),
      residual: isEmptyFilter(residualFilter) ? undefined : filterToSql(residualFilter, "p.payload"),
      estimate: () => (driver.estimate ??= estimate(db, driver.index, driver.condition)),
    },
  };
}

/** How many entries satisfy one condition, counting no further than estimateCap (index only). */
function estimate(db: Database, index: DeclaredIndex, condition: FilterCondition): number {
  const params: (string | number)[] = [index.id];
  const test = indexTestSql(index.kind, condition.test, "v.value", params)!;
  const row = db
    .query<{ n: number }, (string | number)[]>(
      `SELECT count(*) AS n FROM (SELECT 1 FROM payload_values AS v WHERE v.index_id = ? AND ${test} LIMIT ?)`,
    )
    .get(...params, estimateCap);
  return row?.n ?? 0;
}

/**
 * The driver (fewest entries) walks its range of the (index_id, value, seq) key; each
 * other condition is an EXISTS on the driver's seq through payload_values_by_seq, which
 * finds the handful of entries of one version (INDEXED BY: a range test would otherwise
 * tempt SQLite into scanning that condition's whole range per candidate).
 */
function candidatesSql(served: Served[]): SqlCondition {
  const [driver, ...others] = served as [Served, ...Served[]];
  const params: (string | number)[] = [driver.index.id];
  let sql = `v.index_id = ? AND ${indexTestSql(driver.index.kind, driver.condition.test, "v.value", params)}`;
  others.forEach(({ index, condition }, i) => {
    const alias = `w${i}`;
    params.push(index.id);
    const test = indexTestSql(index.kind, condition.test, `${alias}.value`, params);
    sql += ` AND EXISTS (SELECT 1 FROM payload_values AS ${alias} INDEXED BY payload_values_by_seq
      WHERE ${alias}.seq = v.seq AND ${alias}.index_id = ? AND ${test})`;
  });
  // A single value meets each seq once (the key is (index_id, value, seq)); several
  // values, or a range, may meet one array several times.
  const test = driver.condition.test;
  const once = test.kind === "equals" && new Set(test.values).size === 1;
  return { sql: `SELECT ${once ? "" : "DISTINCT "}v.seq FROM payload_values AS v WHERE ${sql}`, params };
}
