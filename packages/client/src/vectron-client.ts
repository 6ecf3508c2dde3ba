import type { AuthClient } from "./auth-client.js";
import type { Credentials } from "./client-options.js";
import type { CollectionInfo, CreateCollectionInput, PayloadIndexSpec } from "./collection-info.js";
import type { Filter } from "./filter.js";
import type { Consistency, Payload, PointInput, SearchHit, StoredPoint, Vector } from "./points.js";
import type { CallSettings } from "./rpc-caller.js";
import type { BatchProgress } from "./run-batches.js";
import type { ShardSnapshotChunk } from "./shard-snapshot-chunk.js";

/** Options of the writes (upsert, delete, setPayload, deletePayloadKeys). */
export interface WriteOptions extends CallSettings {
  /**
   * Replicas of each shard (the primary included) that must hold the write durably
   * before it is acknowledged; default (0) a majority of the replication factor.
   */
  writeQuorum?: number;
}

/** Options of upsert. */
export interface UpsertOptions extends WriteOptions {
  /** Points per request: default the client's maxBatchPoints (10,000, the server's limit). */
  batchSize?: number;
  /** Estimated request body bytes per request, at most: default 16 MiB (the server refuses beyond 64 MiB). */
  maxBatchBytes?: number;
  /**
   * Requests in flight at once (default 1). Above 1, batches may be applied out of order:
   * if an id appears twice in `points`, either version may win.
   */
  concurrency?: number;
  /** Called after each acknowledged request with the points acknowledged so far. */
  onProgress?: (progress: BatchProgress) => void;
  /** Deadline of each request (not of the whole upsert), retries included. */
  timeoutMs?: number;
}

/** Options of the reads that return points. */
export interface ReadOptions extends CallSettings {
  /** Return payloads (default true). */
  withPayload?: boolean;
  /** Return vectors (default: true for get, false for search and scroll). */
  withVector?: boolean;
  consistency?: Consistency;
}

/** Options of search. */
export interface SearchOptions extends ReadOptions {
  /** How many results (default 10; at most 1,000 by default). */
  topK?: number;
  filter?: Filter;
  /** HNSW search breadth: higher finds more true neighbours, slower (default the collection's, 64). */
  ef?: number;
}

/** One query of searchBatch. */
export interface BatchQuery {
  vector: Vector;
  topK?: number;
  filter?: Filter;
}

/** Options of searchBatch: those of search that apply to every query. */
export interface SearchBatchOptions extends ReadOptions {
  ef?: number;
}

/** Options of scroll. */
export interface ScrollOptions extends ReadOptions {
  filter?: Filter;
  /** Points per request (default 100; at most 1,000 by default). */
  pageSize?: number;
  /** Deadline of each page request (not of the whole iteration), retries included. */
  timeoutMs?: number;
}

/** What delete removes: these ids, or every point matching a filter. */
export type DeleteSelector = { ids: string[]; filter?: never } | { filter: Filter; ids?: never };

/**
 * A Vectron client (see createVectronClient). Every method throws a VectronClientError
 * (or a subclass: NotFoundError, InvalidArgumentError...) when the call fails, and a
 * TypeError, before sending anything, when it is called with arguments of the wrong shape.
 * Reads and upserts are retried on `unavailable`; collection creation and deletion are not.
 */
export interface VectronClient {
  /** Account calls: register, login, refresh token, API keys. */
  readonly auth: AuthClient;
  /** The same client with another credential (e.g. the API key just created). */
  withCredentials(credentials: Credentials): VectronClient;

  /** Creates a collection owned by the caller. AlreadyExistsError if the caller has one of that name. */
  createCollection(input: CreateCollectionInput, settings?: CallSettings): Promise<CollectionInfo>;
  /** Describes a collection, with its point count and shards. NotFoundError if there is none. */
  getCollection(name: string, settings?: CallSettings): Promise<CollectionInfo>;
  /** The caller's collections, by name. */
  listCollections(settings?: CallSettings): Promise<CollectionInfo[]>;
  /** Deletes a collection and all its points. NotFoundError if there is none. */
  deleteCollection(name: string, settings?: CallSettings): Promise<void>;
  /** Declares a payload index, built from the existing points (idempotent for the same kind). */
  createPayloadIndex(collection: string, index: PayloadIndexSpec, settings?: CallSettings): Promise<CollectionInfo>;
  /** Removes a payload index; filters on its key keep working, unindexed. */
  deletePayloadIndex(collection: string, key: string, settings?: CallSettings): Promise<CollectionInfo>;

  /**
   * Inserts or replaces points by id, in as many requests as needed (batchSize points
   * each); returns how many were upserted. On failure, the batches acknowledged before
   * it are stored: upserting the same points again is safe.
   */
  upsert(collection: string, points: readonly PointInput[], options?: UpsertOptions): Promise<{ upserted: number }>;
  /** Points by id, in the order asked; ids that do not exist are left out. */
  get(collection: string, ids: readonly string[], options?: ReadOptions): Promise<StoredPoint[]>;
  /** Deletes points by id or by filter; returns how many existed. */
  delete(collection: string, selector: DeleteSelector, options?: WriteOptions): Promise<{ deleted: number }>;
  /**
   * Sets payload keys of existing points (merged into their payload, or replacing it
   * with `overwrite`), without resending vectors; returns how many points existed.
   */
  setPayload(collection: string, ids: readonly string[], payload: Payload, options?: WriteOptions & { overwrite?: boolean }): Promise<{ updated: number }>;
  /** Removes top-level payload keys of existing points; returns how many points existed. */
  deletePayloadKeys(collection: string, ids: readonly string[], keys: readonly string[], options?: WriteOptions): Promise<{ updated: number }>;

  /** The nearest points to `vector`, best first. */
  search(collection: string, vector: Vector, options?: SearchOptions): Promise<SearchHit[]>;
  /** Many searches in one request; one result list per query, in order. */
  searchBatch(collection: string, queries: readonly BatchQuery[], options?: SearchBatchOptions): Promise<SearchHit[][]>;
  /** Number of points, of those matching `filter` if given. */
  count(collection: string, options?: CallSettings & { filter?: Filter; consistency?: Consistency }): Promise<number>;
  /**
   * Every point (matching `filter` if given) in id order, fetched a page at a time as
   * you iterate: `for await (const point of client.scroll("docs")) ...`. Each point of
   * the collection that exists throughout comes exactly once.
   */
  scroll(collection: string, options?: ScrollOptions): AsyncIterableIterator<StoredPoint>;
  /**
   * A consistent copy of one shard's SQLite database (0 <= shard < shards), made on the
   * shard's primary in one read transaction and streamed as you iterate: write the
   * chunks' `data` in order to a file. A read: any key of the owner may take it. Not
   * retried; the deadline (`timeoutMs`, default an hour, lowered to the server's
   * maximum) covers the whole stream.
   */
  snapshotShard(collection: string, shard: number, settings?: CallSettings): AsyncIterableIterator<ShardSnapshotChunk>;
}
