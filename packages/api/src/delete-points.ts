import type { DeleteRequest } from "@vectron/proto/v1";
import { checkFilter, isEmptyFilter } from "@vectron/payload-filter";
import { invalidArgument } from "@vectron/rpc-errors";
import type { ApiDeps } from "./api-deps";
import { groupByShard, primaryWorker } from "./shard-routing";
import { checkCollectionName, checkIds } from "./validate-input";

/**
 * Delete by ids (one ApplyWrites per shard) or by filter (one DeleteByFilter per shard);
 * returns how many points existed and were deleted.
 */
export async function deletePoints(deps: ApiDeps, ownerId: string, request: DeleteRequest): Promise<number> {
  const name = checkCollectionName("collection", request.collection);
  if (request.filter) {
    if (request.ids.length > 0) throw invalidArgument("ids", "give either ids or a filter, not both");
    const filter = checkFilter("filter", request.filter);
    if (!filter || isEmptyFilter(filter)) {
      throw invalidArgument("filter", "must have at least one condition (to delete every point, delete the collection)");
    }
    const collection = await deps.collections.resolve(ownerId, name);
    const results = await Promise.all(
      collection.shards.map((shard) =>
        primaryWorker(deps.workers, collection, shard).deleteByFilter({ shard: { collectionId: collection.id, shardId: shard.shardId }, filter: request.filter }),
      ),
    );
    return results.reduce((sum, result) => sum + result.deleted, 0);
  }
  const ids = checkIds("ids", request.ids, deps.limits);
  const collection = await deps.collections.resolve(ownerId, name);
  const groups = groupByShard(ids, (id) => id, collection.shardCount);
  const results = await Promise.all(
    [...groups].map(([shardId, deletes]) => {
      const worker = primaryWorker(deps.workers, collection, shardId);
      return worker.applyWrites({ shard: { collectionId: collection.id, shardId }, deletes });
    }),
  );
  return results.reduce((sum, result) => sum + result.deleted, 0);
}
