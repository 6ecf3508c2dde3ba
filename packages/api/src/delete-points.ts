import type { DeleteRequest } from "@vectron/proto/v1";
import { checkFilter, isEmptyFilter } from "@vectron/payload-filter";
import { invalidArgument } from "@vectron/rpc-errors";
import type { ApiDeps } from "./api-deps";
import { onPrimary, WRITE_CALL_TIMEOUT_MS } from "./shard-call";
import { groupByShard } from "./shard-routing";
import { checkWriteQuorum } from "./write-quorum";
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
    const writeQuorum = checkWriteQuorum(request.writeQuorum, collection);
    const results = await Promise.all(
      collection.shards.map(({ shardId }) =>
        onPrimary(deps, collection, shardId, (worker, shard) =>
          worker.deleteByFilter({ shard, filter: request.filter, writeQuorum }, { timeoutMs: WRITE_CALL_TIMEOUT_MS }),
        ),
      ),
    );
    return results.reduce((sum, result) => sum + result.deleted, 0);
  }
  const ids = checkIds("ids", request.ids, deps.limits);
  const collection = await deps.collections.resolve(ownerId, name);
  const writeQuorum = checkWriteQuorum(request.writeQuorum, collection);
  const groups = groupByShard(ids, (id) => id, collection.shardCount);
  const results = await Promise.all(
    [...groups].map(([shardId, deletes]) =>
      onPrimary(deps, collection, shardId, (worker, shard) =>
        worker.applyWrites({ shard, deletes, writeQuorum }, { timeoutMs: WRITE_CALL_TIMEOUT_MS }),
      ),
    ),
  );
  return results.reduce((sum, result) => sum + result.deleted, 0);
}
