import type { Database } from "bun:sqlite";
import { estimateCap, type FilterPlan, type IndexedPlan } from "./filter-plan";
import type { PointRow } from "./shard-database";
import type { ReadOptions } from "./types";

/** A SQL boolean expression and its parameters (from filterToSql). */
export interface SqlCondition {
  sql: string;
  params: (string | number)[];
}

/**
 * Reads of live rows restricted by a planned filter (filter-plan.ts). With an indexed
 * part, rows come from the index's candidates joined to `points` by seq (CROSS JOIN:
 * candidates first, so a LIMIT stops early), and only the residual is checked on them;
 * otherwise every live row is scanned with the whole filter. Each SQL text is prepared
 * once: bun:sqlite's `query()` caches statements by their text, and filters of the same
 * shape produce the same text with different parameters.
 */
export class FilteredReads {
  constructor(private readonly db: Database) {}

  /** How many live rows match, counting no further than `cap` (pass Infinity for exact). */
  count(plan: FilterPlan, cap = Number.POSITIVE_INFINITY): number {
    const limit = Number.isFinite(cap) ? cap : -1; // LIMIT -1: no limit
    const { sql, params } = plan.indexed
      ? plan.indexed.residual
        ? candidateRows(plan.indexed, "1")
        : plan.indexed.candidates // the index alone answers: no row is read
      : { sql: `SELECT 1 FROM points WHERE vector IS NOT NULL AND (${plan.full.sql})`, params: plan.full.params };
    const row = this.db
      .query<{ n: number }, (string | number)[]>(`SELECT count(*) AS n FROM (${sql} LIMIT ?)`)
      .get(...params, limit);
    return row?.n ?? 0;
  }

  /** The seqs of up to `cap` matching live rows, by a scan (for plans without an index). */
  scanSeqs(plan: FilterPlan, cap: number): number[] {
    return this.db
      .query<{ seq: number }, (string | number)[]>(
        `SELECT seq FROM points WHERE vector IS NOT NULL AND (${plan.full.sql}) LIMIT ?`,
      )
      .all(...plan.full.params, cap)
      .map((row) => row.seq);
  }

  /** seq and vector of the given rows (a JSON array of seqs), by primary key. */
  vectorsOf(seqsJson: string): { seq: number; vector: Uint8Array }[] {
    return this.db
      .query<{ seq: number; vector: Uint8Array }, [string]>(
        "SELECT seq, vector FROM points WHERE seq IN (SELECT value FROM json_each(?)) AND vector IS NOT NULL",
      )
      .all(seqsJson);
  }

  /** seq and vector of every matching live row (for an exact search over few rows). */
  vectors(plan: FilterPlan): { seq: number; vector: Uint8Array }[] {
    const { sql, params } = plan.indexed
      ? candidateRows(plan.indexed, "p.seq, p.vector")
      : { sql: `SELECT seq, vector FROM points WHERE vector IS NOT NULL AND (${plan.full.sql})`, params: plan.full.params };
    return this.db.query<{ seq: number; vector: Uint8Array }, (string | number)[]>(sql).all(...params);
  }

  /**
   * Which of the seqs (a JSON array) are live rows that match: checked on those rows
   * directly, whatever the plan, since they are few and the index's candidates may not be.
   */
  matchingSeqs(seqsJson: string, plan: FilterPlan): Set<number> {
    const rows = this.db
      .query<{ seq: number }, (string | number)[]>(
        `SELECT seq FROM points WHERE seq IN (SELECT value FROM json_each(?)) AND vector IS NOT NULL AND (${plan.full.sql})`,
      )
      .all(seqsJson, ...plan.full.params);
    return new Set(rows.map((row) => row.seq));
  }

  /**
   * Up to `limit` matching live rows with id > afterId, in id (byte) order: from the
   * index when it has few candidates (sorted by id), else by walking the ids in order,
   * which stops after `limit` matches.
   */
  after(afterId: string, limit: number, options: ReadOptions, plan: FilterPlan): PointRow[] {
    const columns = ["seq", "id"];
    if (options.payload) columns.push("payload");
    if (options.vector) columns.push("vector");
    if (plan.indexed && plan.indexed.estimate() < estimateCap) {
      const rows = candidateRows(plan.indexed, columns.map((column) => `p.${column}`).join(", "), "p.id > ?");
      return this.db
        .query<PointRow, (string | number)[]>(`${rows.sql} ORDER BY p.id LIMIT ?`)
        .all(...rows.params, afterId, limit);
    }
    return this.db
      .query<PointRow, (string | number)[]>(
        `SELECT ${columns.join(", ")} FROM points WHERE id > ? AND vector IS NOT NULL AND (${plan.full.sql}) ORDER BY id LIMIT ?`,
      )
      .all(afterId, ...plan.full.params, limit);
  }
}

/**
 * `SELECT <columns> FROM (candidates) AS c CROSS JOIN points AS p ... WHERE <residual>`;
 * `extra` is one more condition on p whose single parameter the caller binds after these.
 */
function candidateRows(plan: IndexedPlan, columns: string, extra?: string): SqlCondition {
  const where = ["p.vector IS NOT NULL"];
  if (plan.residual) where.push(`(${plan.residual.sql})`);
  if (extra) where.push(extra);
  return {
    sql: `SELECT ${columns} FROM (${plan.candidates.sql}) AS c CROSS JOIN points AS p ON p.seq = c.seq WHERE ${where.join(" AND ")}`,
    params: [...plan.candidates.params, ...(plan.residual?.params ?? [])],
  };
}
