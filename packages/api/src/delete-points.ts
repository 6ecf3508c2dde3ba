import type { DeleteRequest } from "@vectron/proto/v1";
import type { ApiDeps } from "./api-deps";
import { groupByShard, primaryWorkerOf, shardById } from "./shard-routing";
import { checkCollectionName, checkIds } from "./validate-input";

/** Delete by ids, one ApplyWrites per shard; returns how many of the points existed. */
export async function deletePoints(deps: ApiDeps, ownerId: string, request: DeleteRequest): Promise<number> {
  const name = checkCollectionName("collection", request.collection);
  const ids = checkIds("ids", request.ids, deps.limits);
  const collection = await deps.collections.resolve(ownerId, name);
  const groups = groupByShard(ids, (id) => id, collection.shardCount);
  const results = await Promise.all(
    [...groups].map(([shardId, deletes]) => {
      const worker = deps.workers.get(primaryWorkerOf(collection, shardById(collection, shardId)));
      return worker.applyWrites({ shard: { collectionId: collection.id, shardId }, deletes });
    }),
  );
  return results.reduce((sum, result) => sum + result.deleted, 0);
}
