import type { Collection, CreateCollectionRequest } from "@vectron/proto/v1";
import { distanceName } from "@vectron/enum-names";
import { invalidArgument } from "@vectron/rpc-errors";
import type { ApiDeps } from "./api-deps";
import { requireCollection } from "./require-collection";
import { toCollectionMessage } from "./to-collection-message";
import { checkCollectionName, checkCount } from "./validate-input";


/**
 * Records the collection in placement, then opens every replica of every shard on its
 * worker. If a replica cannot be opened the collection is removed again, so a failed
 * create leaves nothing behind.
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
  const replicas = collection.shards.flatMap((shard) =>
    shard.replicas.map((replica) => ({
      worker: () => deps.workers.get(replica.workerId),
      shard: { collectionId: collection.id, shardId: shard.shardId },
    })),
  );
  try {
    await Promise.all(
      replicas.map(({ worker, shard }) =>
        worker().openShard({
          spec: { shard, dimension: collection.dimension, distance: collection.distance, payloadIndexes: collection.payloadIndexes },
        }),
      ),
    );
  } catch (err) {
    // Undo: forget the collection, then drop whatever replicas did open.
    await deps.placement.deleteCollection({ ownerId, name }).catch((cause) => deps.log("rollback of create failed", cause));
    await Promise.all(
      replicas.map(({ worker, shard }) =>
        Promise.resolve()
          .then(() => worker().dropShard({ shard }))
          .catch((cause) => deps.log(`rollback: drop of shard ${shard.collectionId}/${shard.shardId} failed`, cause)),
      ),
    );
    throw err;
  }
  return toCollectionMessage(collection, 0);
}
