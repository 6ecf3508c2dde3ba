import type { PayloadFilter } from "@vectron/payload-filter";
import type { ApplyResult, Hit, PayloadIndexInfo, PointInput, ReadOptions, StoredPoint } from "@vectron/shard-store";
import type { PayloadUpdate } from "./payload-update";
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
  /** Checks each vector's dimension (naming `upserts[i].vector`), then commits durably. */
  apply(key: string, upserts: PointInput[], deletes: string[]): Promise<ApplyResult>;
  /** Rewrites the payloads of those of `ids` that exist, keeping their vectors. */
  updatePayloads(key: string, ids: string[], update: PayloadUpdate): Promise<ApplyResult>;
  /** Deletes every point matching the filter at its turn among the shard's writes. */
  deleteByFilter(key: string, filter: PayloadFilter): Promise<ApplyResult>;
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
