import type { Collection, CreateCollectionRequest } from "@vectron/proto/v1";
import { distanceName } from "@vectron/enum-names";
import { Code, ConnectError } from "@connectrpc/connect";
import { collectionQuotaExceeded } from "@vectron/quotas";
import { errorCodeOf, invalidArgument } from "@vectron/rpc-errors";
import type { CollectionPlacement } from "@vectron/proto/placement/v1";
import type { ApiDeps } from "./api-deps";
import type { Caller } from "./call-admission";
import type { WorkerRef } from "./worker-directory";
import { requireCollection } from "./require-collection";
import { toCollectionMessage } from "./to-collection-message";
import { MAX_PAYLOAD_INDEXES } from "./payload-index-admin";
import { checkCollectionName, checkCount, checkPayloadIndexKey } from "./validate-input";

/**
 * Records the collection in placement (which refuses it beyond the plan's collections
 * per user, `resource_exhausted`), then has every worker holding a replica take up
 * its replicas (SyncPlacement: each opens its replicas with their roles and epoch). If a
 * worker cannot, the collection is removed again and the workers synced once more, so a
 * failed create leaves nothing behind.
 */
export async function createCollection(deps: ApiDeps, caller: Caller, request: CreateCollectionRequest): Promise<Collection> {
  const ownerId = caller.userId;
  const name = checkCollectionName("name", request.name);
  if (request.dimension < 1 || request.dimension > deps.limits.maxDimension) {
    throw invalidArgument("dimension", `must be between 1 and ${deps.limits.maxDimension}`);
  }
  distanceName(request.distance);
  const shardCount = checkCount("shardCount", request.shardCount, 1, deps.limits.maxShardCount);
  const replicationFactor = checkCount("replicationFactor", request.replicationFactor, 1, deps.limits.maxReplicationFactor);
  // Checked here, before placement records anything: a key the shards would refuse
  // would leave a collection whose replicas can never open.
  if (request.payloadIndexes.length > MAX_PAYLOAD_INDEXES) {
    throw invalidArgument("payloadIndexes", `has ${request.payloadIndexes.length} indexes, the limit is ${MAX_PAYLOAD_INDEXES}`);
  }
  request.payloadIndexes.forEach((index, i) => checkPayloadIndexKey(`payloadIndexes[${i}].key`, index.key));

  const limits = deps.plans[caller.plan];
  const created = await deps.placement
    .createCollection({
      ownerId,
      name,
      dimension: request.dimension,
      distance: request.distance,
      shardCount,
      replicationFactor,
      payloadIndexes: request.payloadIndexes,
      // Counted by placement in the insert's transaction: see CreateCollectionRequest.max_collections.
      maxCollections: limits.maxCollections,
    })
    .catch((err: unknown) => {
      throw isCollectionQuotaRefusal(err) ? collectionQuotaExceeded(caller.plan, limits) : err;
    });
  const collection = requireCollection(created.collection);
  deps.collections.invalidate(ownerId, name);
  const workers = distinctWorkers(collection);
  try {
    await Promise.all(workers.map((worker) => deps.workers.clientOf(worker).syncPlacement({})));
  } catch (err) {
    await deps.placement.deleteCollection({ ownerId, name }).catch((cause) => deps.log("rollback of create failed", cause));
    await Promise.all(
      workers.map((worker) =>
        deps.workers
          .clientOf(worker)
          .syncPlacement({})
          .catch((cause) => deps.log(`rollback: sync of worker ${worker.workerId} failed`, cause)),
      ),
    );
    throw err;
  }
  return toCollectionMessage(collection, 0);
}

/**
 * Placement's refusal for max_collections: resource_exhausted with a message starting
 * "collections:" (a full disk is resource_exhausted too, and must not read as a quota).
 */
function isCollectionQuotaRefusal(err: unknown): boolean {
  if (errorCodeOf(err) !== Code.ResourceExhausted) return false;
  const message = err instanceof ConnectError ? err.rawMessage : (err as Error).message;
  return message.startsWith("collections:");
}

/** Each worker holding a replica of the collection, once. */
function distinctWorkers(collection: CollectionPlacement): WorkerRef[] {
  const byId = new Map<string, WorkerRef>();
  for (const shard of collection.shards) for (const replica of shard.replicas) byId.set(replica.workerId, replica);
  return [...byId.values()];
}
