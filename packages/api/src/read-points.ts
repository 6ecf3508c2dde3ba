import type { GetRequest, Point } from "@vectron/proto/v1";
import type { ApiDeps } from "./api-deps";
import { toPoint } from "./point-message";
import { onReadReplica, READ_CALL_TIMEOUT_MS } from "./shard-call";
import { groupByShard } from "./shard-routing";
import { checkCollectionName, checkConsistency, checkIds } from "./validate-input";

/** Get: the points that exist among `ids`, in the order asked, with payload and vector by default. */
export async function getPoints(deps: ApiDeps, ownerId: string, request: GetRequest): Promise<Point[]> {
  const name = checkCollectionName("collection", request.collection);
  const ids = checkIds("ids", request.ids, deps.limits);
  const consistency = checkConsistency("consistency", request.consistency);
  const withPayload = request.withPayload ?? true;
  const withVector = request.withVector ?? true;
  const collection = await deps.collections.resolve(ownerId, name);
  const found = new Map<string, Point>();
  const groups = groupByShard(ids, (id) => id, collection.shardCount);
  await Promise.all(
    [...groups].map(async ([shardId, shardIds]) => {
      const { points } = await onReadReplica(deps, collection, shardId, consistency, (worker, shard, anyReplica) =>
        worker.getPoints({ shard, ids: shardIds, withPayload, withVector, anyReplica }, { timeoutMs: READ_CALL_TIMEOUT_MS }),
      );
      for (const record of points) found.set(record.id, toPoint(record, withPayload, withVector));
    }),
  );
  return ids.flatMap((id) => found.get(id) ?? []);
}
