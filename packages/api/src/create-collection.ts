import type { Collection, CreateCollectionRequest } from "@vectron/proto/v1";
import { distanceName } from "@vectron/enum-names";
import { invalidArgument } from "@vectron/rpc-errors";
import type { CollectionPlacement } from "@vectron/proto/placement/v1";
import type { ApiDeps } from "./api-deps";
import type { WorkerRef } from "./worker-directory";
import { requireCollection } from "./require-collection";
import { toCollectionMessage } from "./to-collection-message";
import { checkCollectionName, checkCount } from "./validate-input";


/**
 * Records the collection in placement, then has every worker holding a replica take up
 * its replicas (SyncPlacement: each opens its replicas with their roles and epoch). If a
 * worker cannot, the collection is removed again and the workers synced once more, so a
 * failed create leaves nothing behind.
 */
export async function createCollection(deps: ApiDeps, ownerId: string, request: CreateCollectionRequest): Promise<Collection> {
  const name = checkCollectionName("name", request.name);
  if (request.dimension < 1 || request.dimension > deps.limits.maxDimension) {
    throw invalidArgument("dimension", `must be between 1 and ${deps.limits.maxDimension}`);
  }
  distanceName(request.distance);
  const shardCount = checkCount("shardCount", request.shardCount, 1, deps.limits.maxShardCount);
  const replicationFactor = checkCount("replicationFactor", request.replicationFactor, 1, deps.limits.maxReplicationFactor);

  const created = await deps.placement.createCollection({
    ownerId,
    name,
    dimension: request.dimension,
    distance: request.distance,
    shardCount,
    replicationFactor,
    payloadIndexes: request.payloadIndexes,
  });
  const collection = requireCollection(created.collection);
  deps.collections.invalidate(ownerId, name);
  const workers = distinctWorkers(collection);
  try {
    await Promise.all(workers.map((worker) => deps.workers.clientOf(worker).syncPlacement({})));
  } catch (err) {
    await deps.placement.deleteCollection({ ownerId, name }).catch((cause) => deps.log("rollback of create failed", cause));
    await Promise.all(
      workers.map((worker) =>
        deps.workers
          .clientOf(worker)
          .syncPlacement({})
          .catch((cause) => deps.log(`rollback: sync of worker ${worker.workerId} failed`, cause)),
      ),
    );
    throw err;
  }
  return toCollectionMessage(collection, 0);
}

/** Each worker holding a replica of the collection, once. */
function distinctWorkers(collection: CollectionPlacement): WorkerRef[] {
  const byId = new Map<string, WorkerRef>();
  for (const shard of collection.shards) for (const replica of shard.replicas) byId.set(replica.workerId, replica);
  return [...byId.values()];
}
