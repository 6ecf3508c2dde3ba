import { Code } from "@connectrpc/connect";
import type { CollectionPlacement } from "@vectron/proto/placement/v1";
import { ReadConsistency } from "@vectron/proto/v1";
import { isUnreachable } from "@vectron/internal-client";
import { errorCodeOf, VectronError } from "@vectron/rpc-errors";
import type { ApiDeps } from "./api-deps";
import { primaryReplica, readableReplicas, shardById, shardTarget, type ShardTarget } from "./shard-routing";
import type { WorkerClient } from "./worker-directory";

/** What a call to one shard gets: the worker's client, the shard with its epoch, and whether any replica may answer. */
export type ShardCall<T> = (worker: WorkerClient, shard: ShardTarget, anyReplica: boolean) => Promise<T>;

/** Deadline of one call to a worker: writes wait for their quorum, reads do not. */
export const WRITE_CALL_TIMEOUT_MS = 15_000;
export const READ_CALL_TIMEOUT_MS = 5_000;

/**
 * Runs a write (or strong read) on the shard's primary. When the primary moved (the
 * worker refuses the epoch), cannot be reached, or the map has none, the map is
 * refreshed from placement and the call tried again, until `deps.routing.retryMs` has
 * passed: a failover shows as a slower request, not an error. Every write Vectron has is
 * idempotent (upsert, delete, payload updates), so sending one again is safe.
 */
export async function onPrimary<T>(deps: ApiDeps, collection: CollectionPlacement, shardId: number, call: ShardCall<T>, isRead = false): Promise<T> {
  return withRerouting(deps, collection, isRead, async (current) => {
    const shard = shardById(current, shardId);
    const primary = primaryReplica(current, shard);
    return call(deps.workers.clientOf(primary), shardTarget(current, shard), false);
  });
}

/**
 * Runs a read: on the primary for strong consistency (the default), else on any active
 * replica (this node's own first), trying the next when one fails.
 */
export async function onReadReplica<T>(
  deps: ApiDeps,
  collection: CollectionPlacement,
  shardId: number,
  consistency: ReadConsistency,
  call: ShardCall<T>,
): Promise<T> {
  if (consistency !== ReadConsistency.EVENTUAL) return onPrimary(deps, collection, shardId, call, true);
  return withRerouting(deps, collection, true, async (current) => {
    const shard = shardById(current, shardId);
    const replicas = readableReplicas(shard).sort((a, b) => Number(deps.workers.isLocal(b.workerId)) - Number(deps.workers.isLocal(a.workerId)));
    if (replicas.length === 0) throw new VectronError("unavailable", `collection ${current.name}: shard ${shardId} has no active replica`);
    let lastError: unknown;
    for (const replica of replicas) {
      try {
        return await call(deps.workers.clientOf(replica), shardTarget(current, shard), true);
      } catch (err) {
        if (!isRerouteable(err, true)) throw err;
        lastError = err;
      }
    }
    throw lastError;
  });
}

async function withRerouting<T>(deps: ApiDeps, collection: CollectionPlacement, isRead: boolean, attempt: (map: CollectionPlacement) => Promise<T>): Promise<T> {
  const deadline = Date.now() + deps.routing.retryMs;
  let current = collection;
  for (let tries = 0; ; tries++) {
    try {
      return await attempt(current);
    } catch (err) {
      if (!isRerouteable(err, isRead) || Date.now() >= deadline) throw err;
      await Bun.sleep(Math.min(50 * 2 ** tries, 500));
      current = await deps.collections.refresh(current.ownerId, current.name);
      // Deleted and created again meanwhile: the request was for the collection that is gone.
      if (current.id !== collection.id) throw new VectronError("not_found", `collection ${collection.name} was deleted`);
    }
  }
}

/**
 * Errors that a newer shard map may cure: the replica is not (or no longer) the primary
 * of the epoch asked (failed_precondition), the worker cannot be reached, or no replica
 * can take the call right now (unavailable). A write the primary committed but could not
 * get onto a quorum in time is also `unavailable`; retrying it is safe (idempotent).
 */
function isRerouteable(err: unknown, isRead: boolean): boolean {
  if (isUnreachable(err)) return true;
  const code = errorCodeOf(err);
  if (code === Code.FailedPrecondition) return true;
  // Unavailable from this node itself (no primary in the map, or its in-process worker)
  // is retried for writes too; from another worker, only for reads.
  return code === Code.Unavailable && (isRead || err instanceof VectronError);
}
