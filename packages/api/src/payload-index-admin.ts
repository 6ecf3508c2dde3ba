import type { Collection, CreatePayloadIndexRequest, DeletePayloadIndexRequest } from "@vectron/proto/v1";
import type { CollectionPlacement } from "@vectron/proto/placement/v1";
import { isUnreachable } from "@vectron/internal-client";
import { invalidArgument } from "@vectron/rpc-errors";
import type { ApiDeps } from "./api-deps";
import type { WorkerClient } from "./worker-directory";
import { countPoints } from "./count-points";
import { requireCollection } from "./require-collection";
import { toCollectionMessage } from "./to-collection-message";
import { checkCollectionName, checkPayloadIndexKey } from "./validate-input";

/** Payload indexes one collection may have: the shards' own limit (shard-store's payloadIndexLimit). */
export const MAX_PAYLOAD_INDEXES = 32;

/**
 * CreatePayloadIndex: checked against the rules and the limit the shards apply, then
 * recorded in placement (so replicas opened later get it), then built on every replica
 * of every shard from the rows it holds. The checks come first because placement keeps
 * what it records even when the shards then refuse it, and would hand the refused index
 * to the replicas again at every sync, failing each one.
 */
export async function createPayloadIndex(deps: ApiDeps, ownerId: string, request: CreatePayloadIndexRequest): Promise<Collection> {
  const name = checkCollectionName("collection", request.collection);
  const index = request.index;
  if (!index) throw invalidArgument("index", "is required");
  checkPayloadIndexKey("index.key", index.key);
  const before = requireCollection((await deps.placement.getCollection({ ownerId, name })).collection);
  const declared = before.payloadIndexes.length;
  if (declared >= MAX_PAYLOAD_INDEXES && !before.payloadIndexes.some((existing) => existing.key === index.key)) {
    throw invalidArgument("index", `collection ${name} has ${declared} payload indexes, the limit is ${MAX_PAYLOAD_INDEXES} (delete one first)`);
  }
  const { collection } = await deps.placement.putPayloadIndex({ ownerId, name, index });
  const placed = requireCollection(collection);
  deps.collections.invalidate(ownerId, name);
  await onEveryReplica(deps, placed, (worker, shard) => worker.createPayloadIndex({ shard, index }));
  return toCollectionMessage(placed, await countPoints(deps, placed));
}

/** DeletePayloadIndex: forgotten by placement, then dropped on every replica. */
export async function deletePayloadIndex(deps: ApiDeps, ownerId: string, request: DeletePayloadIndexRequest): Promise<Collection> {
  const name = checkCollectionName("collection", request.collection);
  if (!request.key) throw invalidArgument("key", "is required");
  checkPayloadIndexKey("key", request.key);
  const { collection } = await deps.placement.deletePayloadIndex({ ownerId, name, key: request.key });
  const placed = requireCollection(collection);
  deps.collections.invalidate(ownerId, name);
  await onEveryReplica(deps, placed, (worker, shard) => worker.dropPayloadIndex({ shard, key: request.key }));
  return toCollectionMessage(placed, await countPoints(deps, placed));
}

async function onEveryReplica(
  deps: ApiDeps,
  collection: CollectionPlacement,
  call: (worker: WorkerClient, shard: { collectionId: string; shardId: number }) => Promise<unknown>,
): Promise<void> {
  await Promise.all(
    collection.shards.flatMap((shard) =>
      shard.replicas.map(async (replica) => {
        try {
          await call(deps.workers.clientOf(replica), { collectionId: collection.id, shardId: shard.shardId });
        } catch (err) {
          // A replica that is down gets the index list from placement when it syncs again.
          if (!isUnreachable(err)) throw err;
          deps.log(`payload index change not sent to worker ${replica.workerId} (unreachable); it applies it at its next sync`, err);
        }
      }),
    ),
  );
}
