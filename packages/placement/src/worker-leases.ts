import { and, eq, gt, sql } from "drizzle-orm";
import { workers } from "@vectron/db";
import type { Worker } from "@vectron/proto/placement/v1";
import { VectronError, invalidArgument } from "@vectron/rpc-errors";
import type { PlacementDeps } from "./placement-deps";
import { loadWorkers } from "./worker-records";

/** Adds a worker, or updates its address, and starts a fresh lease. */
export async function registerWorker(deps: PlacementDeps, workerId: string, address: string): Promise<void> {
  if (!workerId) throw invalidArgument("workerId", "is required");
  if (!address) throw invalidArgument("address", "is required");
  const leaseExpiresAt = new Date(deps.now().getTime() + deps.leaseMs);
  await deps.db
    .insert(workers)
    .values({ id: workerId, address, leaseExpiresAt })
    .onConflictDoUpdate({ target: workers.id, set: { address, leaseExpiresAt } });
}

/**
 * Renews a registered worker's lease; `not_found` tells the worker to register again.
 * Returns whether the lease had already expired: placement may have moved the worker's
 * primaries meanwhile, so it must re-read its shards before acting as a primary.
 */
export async function renewLease(deps: PlacementDeps, workerId: string): Promise<{ lapsed: boolean }> {
  if (!workerId) throw invalidArgument("workerId", "is required");
  const now = deps.now();
  const leaseExpiresAt = new Date(now.getTime() + deps.leaseMs);
  // A sub-select in RETURNING reads the statement's snapshot, i.e. the lease before this
  // update: one round trip, and no window between reading and renewing.
  const renewed = await deps.db
    .update(workers)
    .set({ leaseExpiresAt })
    .where(eq(workers.id, workerId))
    .returning({
      lapsed: sql<boolean>`(select w.lease_expires_at <= ${now.toISOString()}::timestamptz from ${workers} w where w.id = ${workerId})`,
    });
  if (renewed.length === 0) throw new VectronError("not_found", `workerId: worker ${workerId} is not registered`);
  return { lapsed: renewed[0]!.lapsed === true };
}

/** Ids of the workers new replicas may go to: lease not expired, not draining. */
export async function placeableWorkerIds(deps: PlacementDeps): Promise<string[]> {
  const rows = await deps.db
    .select({ id: workers.id })
    .from(workers)
    .where(and(gt(workers.leaseExpiresAt, deps.now()), eq(workers.draining, false)));
  return rows.map((row) => row.id);
}

/** Every known worker with its lease, draining flag and replica count. */
export function listWorkers(deps: PlacementDeps): Promise<Worker[]> {
  return loadWorkers(deps.db, deps.now());
}
