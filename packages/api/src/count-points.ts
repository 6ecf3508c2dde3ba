import type { CollectionPlacement } from "@vectron/proto/placement/v1";
import type { Filter } from "@vectron/proto/v1";
import type { ApiDeps } from "./api-deps";
import { primaryWorker } from "./shard-routing";

/** Live points of a collection (matching a filter if given): the sum over its shards' primaries. */
export async function countPoints(deps: ApiDeps, collection: CollectionPlacement, filter?: Filter): Promise<number> {
  const counts = await Promise.all(
    collection.shards.map(async (shard) => {
      const worker = primaryWorker(deps.workers, collection, shard);
      const { count } = await worker.countPoints({ shard: { collectionId: collection.id, shardId: shard.shardId }, filter });
      return Number(count);
    }),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}
