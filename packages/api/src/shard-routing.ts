import { ReplicaRole } from "@vectron/proto/v1";
import type { CollectionPlacement, ShardPlacement } from "@vectron/proto/placement/v1";
import { VectronError } from "@vectron/rpc-errors";
import { shardOf } from "./shard-of";
import type { WorkerClient, WorkerDirectory } from "./worker-directory";

/** The worker holding the shard's primary replica, which takes its writes and, by default, its reads. */
export function primaryWorkerOf(collection: CollectionPlacement, shard: ShardPlacement): string {
  const primary = shard.replicas.find((replica) => replica.role === ReplicaRole.PRIMARY);
  if (!primary) {
    throw new VectronError("unavailable", `collection ${collection.name}: shard ${shard.shardId} has no primary replica`);
  }
  return primary.workerId;
}

/** The client of the worker holding the primary replica of a shard (given or by id). */
export function primaryWorker(workers: WorkerDirectory, collection: CollectionPlacement, shard: ShardPlacement | number): WorkerClient {
  const placed = typeof shard === "number" ? shardById(collection, shard) : shard;
  return workers.get(primaryWorkerOf(collection, placed));
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
