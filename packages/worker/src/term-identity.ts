import type { ShardOps } from "./shard-ops";

/** The shard and primary term that a PrimaryTerm and each of its follower streams belong to. */
export interface TermIdentity {
  key: string;
  collectionId: string;
  shardId: number;
  epoch: number;
  /** The log this epoch continues (ReplicateRequest.base_epoch / base_seq). */
  baseEpoch: number;
  baseSeq: number;
  /** This worker (the primary). */
  workerId: string;
  shards: ShardOps;
  log: (message: string) => void;
}
