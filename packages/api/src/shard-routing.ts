import { ReplicaRole, ReplicaState } from "@vectron/proto/v1";
import type { CollectionPlacement, ShardPlacement, ShardReplica } from "@vectron/proto/placement/v1";
import { VectronError } from "@vectron/rpc-errors";
import { shardOf } from "./shard-of";

/** The shard as a worker request names it, with the epoch this node's map holds. */
export interface ShardTarget {
  collectionId: string;
  shardId: number;
  epoch: bigint;
}

export function shardTarget(collection: CollectionPlacement, shard: ShardPlacement): ShardTarget {
  return { collectionId: collection.id, shardId: shard.shardId, epoch: shard.epoch };
}

/** The shard's primary replica, which takes its writes and its strong reads. */
export function primaryReplica(collection: CollectionPlacement, shard: ShardPlacement): ShardReplica {
  const primary = shard.replicas.find((replica) => replica.role === ReplicaRole.PRIMARY);
  if (!primary) {
    throw new VectronError("unavailable", `collection ${collection.name}: shard ${shard.shardId} has no primary replica`);
  }
  return primary;
}

/** Replicas that may answer an eventual read: active ones, the primary first. */
export function readableReplicas(shard: ShardPlacement): ShardReplica[] {
  return shard.replicas
    .filter((replica) => replica.state === ReplicaState.ACTIVE)
    .sort((a, b) => (a.role === ReplicaRole.PRIMARY ? -1 : 0) - (b.role === ReplicaRole.PRIMARY ? -1 : 0));
}

/** Splits items by the shard of their id, keeping their order within each shard. */
export function groupByShard<T>(items: T[], idOf: (item: T) => string, shardCount: number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const shard = shardOf(idOf(item), shardCount);
    const group = groups.get(shard);
    if (group) group.push(item);
    else groups.set(shard, [item]);
  }
  return groups;
}

/** The placement of shard `shardId`; shard ids are 0..shardCount-1. */
export function shardById(collection: CollectionPlacement, shardId: number): ShardPlacement {
  const shard = collection.shards.find((s) => s.shardId === shardId);
  if (!shard) throw new VectronError("unavailable", `collection ${collection.name}: shard ${shardId} is not placed`);
  return shard;
}
