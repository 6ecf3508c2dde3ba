import type { PayloadFilter } from "@vectron/payload-filter";
import type { ApplyResult, Change, Hit, PayloadIndexInfo, PointInput, ReadOptions, StoredPoint } from "@vectron/shard-store";
import type { PayloadUpdate } from "./payload-update";
import type { ShardCopy } from "./shard-copy";
import type { ShardSpecFile } from "./shard-registry";

/**
 * What a worker does with its shard replicas, by shard key (`<collectionId>/<shardId>`).
 * ShardHost implements it in the calling thread; ShardThreadPool spreads the shards over
 * threads, each running a ShardHost, so index work leaves the event loop that serves
 * requests. Errors keep their type across threads (VectronError stays VectronError).
 */
export interface ShardOps {
  /** Opens (creating if needed) a shard and makes sure it has these payload indexes. */
  open(key: string, spec: ShardSpecFile, indexes: PayloadIndexInfo[]): Promise<{ lastSeq: number }>;
  createPayloadIndex(key: string, index: PayloadIndexInfo): Promise<void>;
  dropPayloadIndex(key: string, indexKey: string): Promise<void>;
  drop(key: string): Promise<void>;
  /**
   * Checks each vector's dimension (naming `upserts[i].vector`), then commits durably.
   * With `epoch`, the write commits only if, at its turn, the shard is open for writes
   * of exactly that epoch (setWriteEpoch); otherwise it fails with failed_precondition.
   */
  apply(key: string, upserts: PointInput[], deletes: string[], epoch?: number): Promise<ApplyResult>;
  /** Rewrites the payloads of those of `ids` that exist, keeping their vectors. `epoch` as in apply. */
  updatePayloads(key: string, ids: string[], update: PayloadUpdate, epoch?: number): Promise<ApplyResult>;
  /** Deletes every point matching the filter at its turn among the shard's writes. `epoch` as in apply. */
  deleteByFilter(key: string, filter: PayloadFilter, epoch?: number): Promise<ApplyResult>;
  /**
   * Opens the shard for writes carrying this epoch (it became primary), or closes it to
   * all of them (null: it stepped down). Writes already queued are checked at their turn.
   * A shard starts closed.
   */
  setWriteEpoch(key: string, epoch: number | null): Promise<void>;
  /**
   * The next page of the shard's change log after `afterSeq` (null: from its end, an
   * empty page), read in one step: at most `maxChanges` changes and about `maxBytes`.
   * `throughSeq` is the shard's last sequence when the page holds the whole rest of the
   * log (`full` false), else a commit end inside the page when one is known, or the last
   * change's sequence (see readReplicationPage).
   */
  replicationPage(key: string, afterSeq: number | null, maxChanges: number, maxBytes: number): Promise<ReplicationPage>;
  /**
   * A page of another replica's log, at its turn among the shard's writes: applied only
   * if the shard's last sequence is still `afterSeq`; either way answers the last sequence.
   */
  applyChanges(key: string, afterSeq: number, changes: Change[], throughSeq: number): Promise<{ applied: boolean; lastSeq: number }>;
  /** Empties the shard (every point and tombstone, last sequence 0) at its turn among its writes. */
  clear(key: string): Promise<void>;
  /** Last sequence and live point count. */
  status(key: string): Promise<{ lastSeq: number; count: number }>;
  /** See ShardStore.digest. */
  digest(key: string): Promise<string>;
  /**
   * Writes a consistent copy of the shard's database to a new file (ShardStore.copyTo),
   * at its turn among the shard's writes; the caller deletes the file.
   */
  copy(key: string): Promise<ShardCopy>;
  get(key: string, ids: string[], options: ReadOptions): Promise<StoredPoint[]>;
  search(key: string, query: Float32Array, k: number, options: ReadOptions, ef: number, filter?: PayloadFilter): Promise<Hit[]>;
  /** `queries` holds the query vectors back to back. */
  searchBatch(key: string, queries: Float32Array, k: number, options: ReadOptions, ef: number): Promise<Hit[][]>;
  count(key: string, filter?: PayloadFilter): Promise<number>;
  scroll(key: string, afterId: string, limit: number, options: ReadOptions, filter?: PayloadFilter): Promise<StoredPoint[]>;
  /** Persists every index that changed since its last save. */
  saveAll(): Promise<void>;
  /** Saves and closes every shard; the ops may not be used afterwards. */
  closeAll(): Promise<void>;
}

/** A page of a shard's change log, as a primary sends it to a follower. */
export interface ReplicationPage {
  afterSeq: number;
  throughSeq: number;
  changes: Change[];
  /** More changes follow `throughSeq` (the page hit its bounds). */
  full: boolean;
}
