import type { Database, Statement } from "bun:sqlite";
import { jsonPathOf } from "@vectron/payload-filter";
import type { Counters } from "./apply-batch";
import { checkPayloadIndex, extraction } from "./payload-index-kinds";
import { ShardStoreError } from "./shard-store-error";
import type { PayloadIndexInfo, PayloadIndexKind } from "./types";

/** Indexes per shard: each one costs a statement per point written. */
export const payloadIndexLimit = 32;

/** One declared index, as the planner and the write path use it. */
export interface DeclaredIndex {
  /** payload_indexes.id, what payload_values rows refer to. */
  id: number;
  key: string;
  kind: PayloadIndexKind;
  /** jsonPathOf the key's segments, bound where json_each needs the path. */
  path: string;
}

/**
 * The payload indexes of one shard: `payload_indexes` declares them, `payload_values`
 * holds one row (index, value, seq) per distinct indexed value of each LIVE point
 * version (array elements expanded; see payload-index-kinds.ts for what each kind holds).
 *
 * Invariant: payload_values holds exactly the entries of the live rows of `points`. The
 * write path keeps it inside the same transaction as every write (addVersion,
 * removeVersion), and create builds a new index from the rows in one transaction, so the
 * two never disagree. The one way they could is a write by code that predates payload
 * indexes (a downgrade, then an upgrade): each index records the last_seq it reflects,
 * every write moves it (markCurrent), and at open an index whose seq lags is rebuilt.
 */
export class PayloadIndexes {
  readonly #db: Database;
  readonly #counters: Counters;
  readonly #declared = new Map<string, DeclaredIndex>();
  /** Per kind: index one version's payload (id, seq, payload text, path). */
  readonly #insertVersion = new Map<PayloadIndexKind, Statement<void, [number, number, string, string]>>();
  readonly #removeVersion: Statement<void, [number]>;
  readonly #markCurrent: Statement<void, [number]>;

  constructor(db: Database, counters: Counters) {
    this.#db = db;
    this.#counters = counters;
    this.#removeVersion = db.query("DELETE FROM payload_values WHERE seq = ?");
    this.#markCurrent = db.query("UPDATE payload_indexes SET seq = ?");
    const rows = db
      .query<{ id: number; key: string; kind: PayloadIndexKind; seq: number }, []>("SELECT id, key, kind, seq FROM payload_indexes")
      .all();
    const stale = rows.filter((row) => row.seq !== counters.lastSeq);
    if (stale.length > 0) {
      db.transaction(() => {
        for (const row of stale) this.#build(row.id, row.kind, pathOf(row.key));
        this.#markCurrent.run(counters.lastSeq);
      })();
    }
    for (const row of rows) this.#declared.set(row.key, { id: row.id, key: row.key, kind: row.kind, path: pathOf(row.key) });
  }

  /** The declared indexes, by key. */
  list(): PayloadIndexInfo[] {
    return [...this.#declared.values()].map(({ key, kind }) => ({ key, kind })).sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  /** The index on this dotted key, if any. */
  lookup(key: string): DeclaredIndex | undefined {
    return this.#declared.get(key);
  }

  /**
   * Declares an index and builds it from the live rows, in one transaction. The same key
   * and kind again is a no-op (false); another kind on an indexed key replaces it.
   */
  create(key: string, kind: PayloadIndexKind): boolean {
    checkPayloadIndex(key, kind);
    const existing = this.#declared.get(key);
    if (existing?.kind === kind) return false;
    if (!existing && this.#declared.size >= payloadIndexLimit) {
      throw new ShardStoreError("ERR_PAYLOAD_INDEX_LIMIT", `payload index: a shard has at most ${payloadIndexLimit} (drop one first)`);
    }
    const path = pathOf(key);
    const id = this.#db.transaction(() => {
      if (existing) this.#forget(existing.id);
      const row = this.#db
        .query<{ id: number }, [string, string, number]>("INSERT INTO payload_indexes (key, kind, seq) VALUES (?, ?, ?) RETURNING id")
        .get(key, kind, this.#counters.lastSeq)!;
      this.#build(row.id, kind, path);
      return row.id;
    })();
    this.#declared.set(key, { id, key, kind, path });
    return true;
  }

  /** Removes the index on `key` and its entries; false if there was none. */
  drop(key: string): boolean {
    const existing = this.#declared.get(key);
    if (!existing) return false;
    this.#db.transaction(() => this.#forget(existing.id))();
    this.#declared.delete(key);
    return true;
  }

  /** Indexes a new live version. Call inside the write's transaction. */
  addVersion(seq: number, payload: string): void {
    for (const index of this.#declared.values()) this.#insertStatement(index.kind).run(index.id, seq, payload, index.path);
  }

  /** Drops the entries of a version that was replaced or deleted. Call inside the write's transaction. */
  removeVersion(seq: number): void {
    if (this.#declared.size > 0) this.#removeVersion.run(seq);
  }

  /** Records that the indexes reflect the rows up to `lastSeq`. Call inside the write's transaction. */
  markCurrent(lastSeq: number): void {
    if (this.#declared.size > 0) this.#markCurrent.run(lastSeq);
  }

  #insertStatement(kind: PayloadIndexKind): Statement<void, [number, number, string, string]> {
    let statement = this.#insertVersion.get(kind);
    if (!statement) {
      const e = extraction(kind, "?3", "?4");
      // OR IGNORE: an array holding a value twice gives one entry.
      statement = this.#db.query(
        `INSERT OR IGNORE INTO payload_values (index_id, value, seq) SELECT ?1, ${e.value}, ?2 FROM ${e.source} WHERE ${e.where}`,
      );
      this.#insertVersion.set(kind, statement);
    }
    return statement;
  }

  /** (Re)fills one index from every live row. Runs inside the caller's transaction. */
  #build(id: number, kind: PayloadIndexKind, path: string): void {
    this.#db.query<void, [number]>("DELETE FROM payload_values WHERE index_id = ?").run(id);
    const e = extraction(kind, "p.payload", "?2");
    this.#db
      .query<void, [number, string]>(
        `INSERT OR IGNORE INTO payload_values (index_id, value, seq)
         SELECT ?1, ${e.value}, p.seq FROM points AS p, ${e.source} WHERE p.vector IS NOT NULL AND ${e.where}`,
      )
      .run(id, path);
  }

  #forget(id: number): void {
    this.#db.query<void, [number]>("DELETE FROM payload_values WHERE index_id = ?").run(id);
    this.#db.query<void, [number]>("DELETE FROM payload_indexes WHERE id = ?").run(id);
  }
}

function pathOf(key: string): string {
  return jsonPathOf(key.split("."));
}
