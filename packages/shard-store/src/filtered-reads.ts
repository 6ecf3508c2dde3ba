import type { Database } from "bun:sqlite";
import type { PointRow } from "./shard-database";
import type { ReadOptions } from "./types";

/** A SQL boolean expression over `points.payload` and its parameters (from filterToSql). */
export interface SqlCondition {
  sql: string;
  params: (string | number)[];
}

/**
 * Reads of live rows restricted by a payload condition. Each SQL text is prepared once:
 * bun:sqlite's `query()` caches statements by their text, and filters of the same shape
 * produce the same text with different parameters.
 */
export class FilteredReads {
  constructor(private readonly db: Database) {}

  /** How many live rows match, counting no further than `cap` (pass Infinity for exact). */
  count(where: SqlCondition, cap = Number.POSITIVE_INFINITY): number {
    const limit = Number.isFinite(cap) ? cap : -1; // LIMIT -1: no limit
    const row = this.db
      .query<{ n: number }, (string | number)[]>(
        `SELECT count(*) AS n FROM (SELECT 1 FROM points WHERE vector IS NOT NULL AND (${where.sql}) LIMIT ?)`,
      )
      .get(...where.params, limit);
    return row?.n ?? 0;
  }

  /** seq and vector of every matching live row (for an exact search over few rows). */
  vectors(where: SqlCondition): { seq: number; vector: Uint8Array }[] {
    return this.db
      .query<{ seq: number; vector: Uint8Array }, (string | number)[]>(
        `SELECT seq, vector FROM points WHERE vector IS NOT NULL AND (${where.sql})`,
      )
      .all(...where.params);
  }

  /** Which of the seqs (a JSON array) are live rows that match. */
  matchingSeqs(seqsJson: string, where: SqlCondition): Set<number> {
    const rows = this.db
      .query<{ seq: number }, (string | number)[]>(
        `SELECT seq FROM points WHERE seq IN (SELECT value FROM json_each(?)) AND vector IS NOT NULL AND (${where.sql})`,
      )
      .all(seqsJson, ...where.params);
    return new Set(rows.map((row) => row.seq));
  }

  /** Up to `limit` matching live rows with id > afterId, in id (byte) order. */
  after(afterId: string, limit: number, options: ReadOptions, where: SqlCondition): PointRow[] {
    const columns = ["seq", "id"];
    if (options.payload) columns.push("payload");
    if (options.vector) columns.push("vector");
    return this.db
      .query<PointRow, (string | number)[]>(
        `SELECT ${columns.join(", ")} FROM points WHERE id > ? AND vector IS NOT NULL AND (${where.sql}) ORDER BY id LIMIT ?`,
      )
      .all(afterId, ...where.params, limit);
  }
}
