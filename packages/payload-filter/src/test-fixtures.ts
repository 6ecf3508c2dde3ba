import { Database } from "bun:sqlite";
import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { FilterSchema } from "@vectron/proto/v1";
import { checkFilter } from "./check-filter";
import { filterToSql } from "./filter-to-sql";
import type { PayloadFilter } from "./payload-filter";

/** A filter from its Connect JSON form, through the proto parser and checkFilter. */
export function filterOf(json: JsonValue): PayloadFilter {
  return checkFilter("filter", fromJson(FilterSchema, json))!;
}

/**
 * A real in-memory SQLite table `t (id, payload)` holding payloads as JSON text, the way
 * a shard stores them, to run filterToSql's output against.
 */
export class PayloadTable {
  readonly db = new Database(":memory:");

  constructor() {
    this.db.run("CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT)");
  }

  /** Replaces the rows with these JSON texts (null for a tombstone), ids 0, 1, 2... */
  fill(texts: (string | null)[]): void {
    this.db.run("DELETE FROM t");
    const insert = this.db.query("INSERT INTO t (id, payload) VALUES (?, ?)");
    this.db.transaction(() => texts.forEach((text, id) => insert.run(id, text)))();
  }

  /** The ids, ascending, of the rows the filter's SQL selects. */
  select(filter: PayloadFilter): number[] {
    const { sql, params } = filterToSql(filter, "payload");
    return this.db
      .query<{ id: number }, (string | number)[]>(`SELECT id FROM t WHERE ${sql} ORDER BY id`)
      .all(...params)
      .map((row) => row.id);
  }

  close(): void {
    this.db.close();
  }
}
