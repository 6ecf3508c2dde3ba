import { Distance, type Collection, type CreateCollectionRequest } from "@vectron/proto/v1";
import { invalidArgument } from "@vectron/rpc-errors";
import type { ApiDeps } from "./api-deps";
import { toCollectionMessage } from "./to-collection-message";
import { checkCollectionName, checkCount } from "./validate-input";

const DISTANCES = new Set([Distance.COSINE, Distance.EUCLIDEAN, Distance.DOT]);

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
  if (!DISTANCES.has(request.distance)) {
    throw invalidArgument("distance", "must be DISTANCE_COSINE, DISTANCE_EUCLIDEAN or DISTANCE_DOT");
  }
  const shardCount = checkCount("shardCount", request.shardCount, 1, deps.limits.maxShardCount);
  const replicationFactor = checkCount("replicationFactor", request.replicationFactor, 1, 16);

  const { collection } = await deps.placement.createCollection({
    ownerId,
    name,
    dimension: request.dimension,
    distance: request.distance,
    shardCount,
    replicationFactor,
  });
  if (!collection) throw new Error("placement returned no collection");
  deps.collections.invalidate(ownerId, name);
  try {
    await Promise.all(
      collection.shards.flatMap((shard) =>
        shard.replicas.map((replica) =>
          deps.workers.get(replica.workerId).openShard({
            spec: {
              shard: { collectionId: collection.id, shardId: shard.shardId },
              dimension: collection.dimension,
              distance: collection.distance,
            },
          }),
        ),
      ),
    );
  } catch (err) {
    await deps.placement.deleteCollection({ ownerId, name }).catch((cause) => deps.log("rollback of create failed", cause));
    throw err;
  }
  return toCollectionMessage(collection, 0);
}
