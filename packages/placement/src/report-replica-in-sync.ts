import { and, eq } from "drizzle-orm";
import { shardReplicas, shards } from "@vectron/db";
import type { ReportReplicaInSyncRequest } from "@vectron/proto/placement/v1";
import { invalidArgument } from "@vectron/rpc-errors";
import type { PlacementDeps } from "./placement-deps";
import { removeSurplusReplicas } from "./remove-surplus-replicas";
import { syncPlacementOn } from "./sync-placement-on";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What a report changed: nothing when it came from another epoch or named no replica. */
export interface InSyncOutcome {
  applied: boolean;
  /** Workers whose replica of the shard was removed. */
  removedWorkerIds: string[];
}

/**
 * A primary reports that a follower holds its whole log. Only a report of the shard's
 * current epoch counts (an older primary's word is stale): the follower becomes active,
 * then replicas beyond the replication factor are removed (see chooseReplicasToRemove).
 * One transaction, with the shard row locked so reports and failovers serialize.
 */
export async function reportReplicaInSync(deps: PlacementDeps, request: ReportReplicaInSyncRequest): Promise<InSyncOutcome> {
  if (!UUID.test(request.collectionId)) throw invalidArgument("collectionId", "must be a collection id (UUID)");
  if (!request.workerId) throw invalidArgument("workerId", "is required");
  const now = deps.now();
  const outcome = await deps.db.transaction(async (tx): Promise<InSyncOutcome & { notify: string[] }> => {
    const ignored = { applied: false, removedWorkerIds: [], notify: [] };
    const shardKey = and(eq(shards.collectionId, request.collectionId), eq(shards.shardId, request.shardId));
    const [shard] = await tx.select({ epoch: shards.epoch }).from(shards).where(shardKey).for("update");
    if (!shard || BigInt(shard.epoch) !== request.epoch) return ignored;
    const replicaKey = and(eq(shardReplicas.collectionId, request.collectionId), eq(shardReplicas.shardId, request.shardId));
    const reported = and(replicaKey, eq(shardReplicas.workerId, request.workerId));
    const [present] = await tx.select({ state: shardReplicas.state }).from(shardReplicas).where(reported);
    if (!present) return ignored;
    const activated = present.state === "active" ? [] : await tx.update(shardReplicas).set({ state: "active", stateSince: now }).where(reported).returning();
    const { replicas, removed: removedWorkerIds } = await removeSurplusReplicas(tx, replicaKey, now);
    const changed = activated.length > 0 || removedWorkerIds.length > 0;
    // The removed replicas' workers drop them; the primary stops streaming to them.
    const notify = changed
      ? replicas.filter((r) => removedWorkerIds.includes(r.workerId) || r.role === "primary").map((r) => r.address)
      : [];
    return { applied: true, removedWorkerIds, notify };
  });
  if (outcome.notify.length) void syncPlacementOn(deps, outcome.notify);
  return { applied: outcome.applied, removedWorkerIds: outcome.removedWorkerIds };
}
