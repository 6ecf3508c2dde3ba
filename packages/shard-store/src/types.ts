import type { PayloadFilter } from "@vectron/payload-filter";

/**
 * The data shapes of one shard replica's store. Vectors are float32; payloads are JSON
 * object text that the store keeps verbatim and never parses.
 */

/** Similarity measure, fixed when the store is created. */
export type Metric = "cosine" | "euclidean" | "dot";

/** Options of openShardStore. */
export interface ShardStoreOptions {
  /** Directory of this replica; created if missing. One open store per directory. */
  dir: string;
  /** Vector length; must match the stored one when the directory already holds a store. */
  dimension: number;
  /** Similarity measure; must match the stored one when the directory already holds a store. */
  metric: Metric;
  /** HNSW M (links per node). Default 16. Changing it on an existing store rebuilds the index. */
  connectivity?: number;
  /** HNSW ef at insertion. Default 128. */
  expansionAdd?: number;
  /** HNSW ef at search. Default 64 (recall@10 ≈ 0.99 on SIFT 4.5k, see README). */
  expansionSearch?: number;
}

/** One point to upsert. */
export interface PointInput {
  id: string;
  vector: Float32Array;
  /** JSON object text, stored and returned byte for byte. */
  payload: string;
}

/** A point read back; `vector` and `payload` are present only when asked for. */
export interface StoredPoint {
  id: string;
  vector?: Float32Array;
  payload?: string;
}

/**
 * A search result. `score` is the cosine similarity (cosine), the dot product (dot), both
 * higher-is-better, or the Euclidean distance, not squared (euclidean), lower-is-better.
 */
export interface Hit {
  id: string;
  score: number;
  vector?: Float32Array;
  payload?: string;
}

/** Which parts of a point to read. */
export interface ReadOptions {
  payload: boolean;
  vector: boolean;
}

/** What apply did. */
export interface ApplyResult {
  /** The store's highest sequence after the batch. */
  lastSeq: number;
  /** Distinct ids written (the last occurrence of a repeated id wins). */
  upserted: number;
  /** Ids that existed and were deleted. */
  deleted: number;
}

/**
 * One entry of the change log, as a follower needs it to catch up: the newest version
 * of each id, in sequence order. Older versions of an id are gone (only the newest is
 * kept), which is enough to converge on the same state.
 */
export type Change =
  | { seq: number; id: string; deleted: false; vector: Float32Array; payload: string }
  | { seq: number; id: string; deleted: true };

/** How the index came to be at open; observable so tests and logs can tell. */
export interface OpenInfo {
  /** A saved index file was loaded (and then caught up). */
  loadedIndex: boolean;
  /** Index operations (adds + removes) replayed after loading the saved index. */
  caughtUp: number;
  /** The index was rebuilt from every live row. */
  rebuilt: boolean;
  /** Why it was rebuilt (no saved index, checksum mismatch, config change...). */
  rebuildReason?: string;
}

/**
 * The value type a payload index keeps (payload-index-kinds.ts): strings, numbers
 * (integer and float hold every number and differ only in storage), or booleans.
 */
export type PayloadIndexKind = "keyword" | "integer" | "float" | "bool";

/** A declared payload index: a dotted key, as in filters, and its kind. */
export interface PayloadIndexInfo {
  key: string;
  kind: PayloadIndexKind;
}

/** One shard replica: SQLite rows are the durable truth, the HNSW index a cache of them. */
export interface ShardStore {
  readonly dimension: number;
  readonly metric: Metric;
  readonly openInfo: OpenInfo;
  /** Highest sequence committed (0 for a new store). */
  lastSeq(): number;
  /** Live points (kept in memory), or those matching a payload filter (from a payload index or a scan of the rows). */
  count(filter?: PayloadFilter): number;
  /**
   * Commits all upserts, then all deletes, in one durable transaction (so an id in both
   * ends deleted), then updates the index. Throws before writing anything if a vector
   * has the wrong length.
   */
  apply(upserts: PointInput[], deletes: string[]): ApplyResult;
  /** Points in the order of `ids`; missing ids omitted, repeated ids returned once. */
  get(ids: string[], options: ReadOptions): StoredPoint[];
  /**
   * The k nearest live points, best first. `ef` widens the HNSW search beyond the
   * index's expansionSearch (0 or less: the default).
   */
  search(query: Float32Array, k: number, options: ReadOptions, ef?: number, filter?: PayloadFilter): Hit[];
  /**
   * The k nearest live points of each query, best first: one index call and one read of
   * the rows for the whole batch. One result list per query.
   */
  searchBatch(queries: Float32Array[], k: number, options: ReadOptions, ef?: number): Hit[][];
  /** Up to `limit` live points with id > afterId, in UTF-8 byte order of ids. */
  scroll(afterId: string, limit: number, options: ReadOptions, filter?: PayloadFilter): StoredPoint[];
  /** Up to `limit` changes with sequence > seq, in sequence order. */
  changesSince(seq: number, limit: number): Change[];
  /**
   * The highest sequence in [from, to] known to end one of this store's commits (an
   * `apply`, however many writes group commit merged into it): kept in memory for the
   * last 4096 commits since the store was opened, so undefined for older ones (after a
   * restart) and for sequences `applyChanges` wrote. Where a replication page can be cut
   * without splitting a transaction.
   */
  lastCommitEndIn(from: number, to: number): number | undefined;
  /**
   * Replication, follower side: commits another replica's changes (a page of its
   * `changesSince`) in one durable transaction, each under its own sequence number, an
   * upsert or a tombstone, then sets the last sequence to `throughSeq` (at least the last
   * change's). Changes must be in increasing sequence order, all after `lastSeq()`, one
   * per id; otherwise ERR_INVALID_CHANGES and nothing is written. Fed the pages of
   * another store's change log in order, the store ends with that store's content and
   * last sequence (same `digest()`).
   */
  applyChanges(changes: Change[], throughSeq: number): { lastSeq: number };
  /**
   * Deletes every point and tombstone and sets the last sequence back to 0, durably;
   * dimension, metric and payload index declarations stay. A running index rebuild
   * becomes void (its finish throws ERR_REBUILD_RUNNING).
   */
  clear(): void;
  /**
   * Hex SHA-256 over the live points in id (UTF-8 byte) order: id, vector bytes, payload
   * bytes, each preceded by its byte length as a little-endian uint32. Equal digests mean
   * equal content. Reads every live row, one at a time.
   */
  digest(): string;
  /**
   * Writes a consistent copy of the database to `path` (which must not exist) with
   * SQLite's `VACUUM INTO`: one read transaction, so the copy holds exactly the last
   * committed state, compacted, without the WAL. Answers that state's last sequence and
   * live count. Runs synchronously: call it between transactions.
   */
  copyTo(path: string): { lastSeq: number; count: number };
  /**
   * Declares a payload index on a dotted key and builds it from the live rows in one
   * transaction; filters with a `must` condition on the key then read candidates from it.
   * Results never depend on indexes, only cost does. The same key and kind again is a
   * no-op (false); another kind replaces the key's index. Throws ShardStoreError
   * ERR_INVALID_PAYLOAD_INDEX (bad key or kind) or ERR_PAYLOAD_INDEX_LIMIT.
   */
  createPayloadIndex(key: string, kind: PayloadIndexKind): boolean;
  /** Removes the payload index on `key`; false if there was none. */
  dropPayloadIndex(key: string): boolean;
  /** The declared payload indexes, by key. */
  payloadIndexes(): PayloadIndexInfo[];
  /**
   * Share of index entries removed (updated or deleted points) since the index was built
   * or loaded, against the live ones: what a compaction would reclaim.
   */
  deletedFraction(): number;
  /**
   * Compaction: builds a fresh index from the live rows a chunk per `step` (true once all
   * rows were read), so other calls can run between chunks; `finish` catches it up with
   * the writes made meanwhile and swaps it in.
   */
  startIndexRebuild(): { step(maxRows: number): boolean; finish(): void; abandon(): void };
  /** Persists the index if it changed since the last save. */
  saveIndex(): void;
  /**
   * saveIndex, then closes the database. Further calls throw ERR_SHARD_CLOSED. On a full
   * disk it closes without saving (the next open catches the last saved index up).
   */
  close(): void;
  /** Closes without saving and deletes the directory. */
  drop(): void;
}
