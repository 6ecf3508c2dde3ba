import { Database, type Statement } from "bun:sqlite";
import type { Metric, ReadOptions } from "./types";

/**
 * The SQLite side of a shard replica: schema, pragmas and every statement, prepared once.
 *
 * Keys: a point version's sequence number is also its usearch key (`points.seq`). An
 * update or delete gives the id a new row version with a new seq; the previous seq, if it
 * was live, is recorded in `superseded` with the seq that superseded it, so a saved
 * index taken at seq S can be caught up by removing superseded keys with at_seq > S and
 * adding live rows with seq > S. Deletes keep the id's row as a tombstone (vector NULL)
 * carrying the delete's seq, so "changes since seq N" can report deletes too.
 */

/** Bumped when the schema changes incompatibly. */
export const schemaFormat = 1;

const schema = `
CREATE TABLE IF NOT EXISTS shard (
  singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
  format     INTEGER NOT NULL,
  dimension  INTEGER NOT NULL,
  metric     TEXT    NOT NULL,
  last_seq   INTEGER NOT NULL,  -- highest seq ever assigned; never reused
  live_count INTEGER NOT NULL   -- rows with a vector; kept here so open is O(1)
);
CREATE TABLE IF NOT EXISTS points (
  seq     INTEGER PRIMARY KEY,  -- rowid alias; assigned from shard.last_seq, never reused
  id      TEXT NOT NULL UNIQUE, -- BINARY collation: memcmp of UTF-8, i.e. byte order
  -- The payload comes before the vector: a filter scan reads payloads, and a large vector
  -- placed first pushes them into overflow pages (MNIST's 3 KB vectors: ~10x slower scans).
  payload TEXT,                 -- JSON object text, verbatim; NULL for a tombstone
  vector  BLOB                  -- little-endian float32; NULL marks a tombstone
);
CREATE TABLE IF NOT EXISTS superseded (
  at_seq INTEGER NOT NULL,      -- seq of the change that replaced or deleted the version
  key    INTEGER NOT NULL,      -- seq (usearch key) of the version that left the index
  PRIMARY KEY (at_seq, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS payload_indexes (
  id   INTEGER PRIMARY KEY,     -- what payload_values rows refer to (shorter than the key)
  key  TEXT NOT NULL UNIQUE,    -- dotted payload key, as in filters
  kind TEXT NOT NULL,           -- keyword | integer | float | bool (payload-index-kinds.ts)
  seq  INTEGER NOT NULL         -- the last_seq the index reflects (payload-indexes.ts)
);
CREATE TABLE IF NOT EXISTS payload_values (
  index_id INTEGER NOT NULL,    -- payload_indexes.id
  value    NOT NULL,            -- no declared type, so no affinity: text stays text, numbers numbers
  seq      INTEGER NOT NULL,    -- points.seq of a live version holding the value at the key
  PRIMARY KEY (index_id, value, seq)
) WITHOUT ROWID;
-- Removing a version's entries, and checking one condition of a candidate (filter-plan.ts).
CREATE INDEX IF NOT EXISTS payload_values_by_seq ON payload_values (seq, index_id, value);
CREATE TABLE IF NOT EXISTS index_files (
  checksum TEXT PRIMARY KEY,    -- SHA-256 of a saved index file
  seq      INTEGER NOT NULL,    -- the seq that file reflects
  config   TEXT NOT NULL        -- JSON of the IndexIdentity it was built with
);
`;

/** Opens (creating if needed) the database with the pragmas durability depends on. */
export function openDatabase(path: string): Database {
  const db = new Database(path, { create: true, strict: true });
  try {
    // WAL + synchronous=FULL: a commit returns only after the WAL is fsynced, so a
    // committed apply survives kill -9 and power loss.
    db.run("PRAGMA journal_mode = WAL");
    db.run("PRAGMA synchronous = FULL");
    db.run(schema);
    return db;
  } catch (error) {
    // A new database on a full disk fails here: no handle may stay open on it.
    db.close();
    throw error;
  }
}

/** The row of `shard`, or null for a new database. */
export interface ShardRow {
  format: number;
  dimension: number;
  metric: Metric;
  last_seq: number;
  live_count: number;
}

/** Every statement the store runs, prepared once per open. */
export function prepareStatements(db: Database) {
  return {
    shardRow: db.query<ShardRow, []>(
      "SELECT format, dimension, metric, last_seq, live_count FROM shard WHERE singleton = 1",
    ),
    insertShardRow: db.query<void, [number, number, string]>(
      "INSERT INTO shard (singleton, format, dimension, metric, last_seq, live_count) VALUES (1, ?, ?, ?, 0, 0)",
    ),
    updateCounters: db.query<void, [number, number]>(
      "UPDATE shard SET last_seq = ?, live_count = ? WHERE singleton = 1",
    ),
    versionOf: db.query<{ seq: number; live: number }, [string]>(
      "SELECT seq, vector IS NOT NULL AS live FROM points WHERE id = ?",
    ),
    // Rewriting the rowid of an existing id is how a new version replaces the old one.
    writeVersion: db.query<void, [number, string, Uint8Array | null, string | null]>(
      `INSERT INTO points (seq, id, vector, payload) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, vector = excluded.vector, payload = excluded.payload`,
    ),
    insertSuperseded: db.query<void, [number, number]>(
      "INSERT OR IGNORE INTO superseded (at_seq, key) VALUES (?, ?)",
    ),
    supersededAfter: db.query<{ key: number }, [number]>(
      "SELECT key FROM superseded WHERE at_seq > ?",
    ),
    pruneSuperseded: db.query<void, [number]>("DELETE FROM superseded WHERE at_seq <= ?"),
    liveVectorsAfter: db.query<{ seq: number; vector: Uint8Array }, [number]>(
      "SELECT seq, vector FROM points WHERE seq > ? AND vector IS NOT NULL ORDER BY seq",
    ),
    changesAfter: db.query<ChangeRow, [number, number]>(
      "SELECT seq, id, vector, payload FROM points WHERE seq > ? ORDER BY seq LIMIT ?",
    ),
    indexFile: db.query<{ seq: number; config: string }, [string]>(
      "SELECT seq, config FROM index_files WHERE checksum = ?",
    ),
    recordIndexFile: db.query<void, [string, number, string]>(
      "INSERT OR REPLACE INTO index_files (checksum, seq, config) VALUES (?, ?, ?)",
    ),
    forgetOtherIndexFiles: db.query<void, [string]>("DELETE FROM index_files WHERE checksum <> ?"),
    forgetIndexFiles: db.query<void, []>("DELETE FROM index_files"),
  };
}

/** The prepared statements of one open store. */
export type Statements = ReturnType<typeof prepareStatements>;

/** A row of `points` as read for the change log. */
export interface ChangeRow {
  seq: number;
  id: string;
  vector: Uint8Array | null;
  payload: string | null;
}

/** A live row as read by get, scroll and search; absent columns were not selected. */
export interface PointRow {
  seq: number;
  id: string;
  vector?: Uint8Array;
  payload?: string;
}

/**
 * Read statements selecting only the columns asked for (a blob not wanted is not
 * copied out), built on first use and cached. Id and seq lists are bound as one JSON
 * array through json_each, so one statement serves any list length.
 */
export class PointReader {
  readonly #db: Database;
  readonly #cache = new Map<string, Statement<PointRow, [string]> | Statement<PointRow, [string, number]>>();

  constructor(db: Database) {
    this.#db = db;
  }

  /** Live rows whose id is in the JSON array `idsJson`, in no particular order. */
  byIds(idsJson: string, options: ReadOptions): PointRow[] {
    return this.#statement("ids", options, (cols) =>
      `SELECT ${cols} FROM points WHERE id IN (SELECT value FROM json_each(?)) AND vector IS NOT NULL`,
    ).all(idsJson) as PointRow[];
  }

  /** Live rows whose seq is in the JSON array `seqsJson`, in no particular order. */
  bySeqs(seqsJson: string, options: ReadOptions): PointRow[] {
    return this.#statement("seqs", options, (cols) =>
      `SELECT ${cols} FROM points WHERE seq IN (SELECT value FROM json_each(?)) AND vector IS NOT NULL`,
    ).all(seqsJson) as PointRow[];
  }

  /** Up to `limit` live rows with id > afterId in id (byte) order. */
  after(afterId: string, limit: number, options: ReadOptions): PointRow[] {
    const statement = this.#statement("after", options, (cols) =>
      `SELECT ${cols} FROM points WHERE id > ? AND vector IS NOT NULL ORDER BY id LIMIT ?`,
    ) as Statement<PointRow, [string, number]>;
    return statement.all(afterId, limit);
  }

  #statement(kind: string, options: ReadOptions, sql: (columns: string) => string) {
    const key = `${kind}:${options.payload ? "p" : ""}${options.vector ? "v" : ""}`;
    let statement = this.#cache.get(key);
    if (!statement) {
      const columns = ["seq", "id"];
      if (options.payload) columns.push("payload");
      if (options.vector) columns.push("vector");
      statement = this.#db.query<PointRow, [string]>(sql(columns.join(", ")));
      this.#cache.set(key, statement);
    }
    return statement as Statement<PointRow, [string]>;
  }
}
