import type { DeleteCollectionRequest } from "@vectron/proto/v1";
import type { ApiDeps } from "./api-deps";
import { checkCollectionName } from "./validate-input";

/**
 * Removes the collection from placement first (from then on no request can reach it),
 * then drops its shard replicas on their workers. A worker that cannot be reached keeps
 * orphaned files, which is logged; the collection is gone either way.
 */
export async function deleteCollection(deps: ApiDeps, ownerId: string, request: DeleteCollectionRequest): Promise<void> {
  const name = checkCollectionName("name", request.name);
  const { collection } = await deps.placement.deleteCollection({ ownerId, name });
  deps.collections.invalidate(ownerId, name);
  if (!collection) return;
  const drops = collection.shards.flatMap((shard) =>
    shard.replicas.map((replica) =>
      Promise.resolve()
        .then(() => deps.workers.clientOf(replica).dropShard({ shard: { collectionId: collection.id, shardId: shard.shardId } }))
        .catch((cause) => deps.log(`drop of shard ${collection.id}/${shard.shardId} on ${replica.workerId} failed`, cause)),
    ),
  );
  await Promise.all(drops);
}
