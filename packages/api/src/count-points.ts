import type { CollectionPlacement } from "@vectron/proto/placement/v1";
import { ReadConsistency, type Filter } from "@vectron/proto/v1";
import type { ApiDeps } from "./api-deps";
import { onReadReplica, READ_CALL_TIMEOUT_MS } from "./shard-call";

/** Live points of a collection (matching a filter if given): the sum over its shards. */
export async function countPoints(
  deps: ApiDeps,
  collection: CollectionPlacement,
  filter?: Filter,
  consistency = ReadConsistency.STRONG,
): Promise<number> {
  const counts = await Promise.all(
    collection.shards.map(async ({ shardId }) => {
      const { count } = await onReadReplica(deps, collection, shardId, consistency, (worker, shard, anyReplica) =>
        worker.countPoints({ shard, filter, anyReplica }, { timeoutMs: READ_CALL_TIMEOUT_MS }),
      );
      return Number(count);
    }),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}
