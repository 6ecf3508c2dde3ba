import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { asc, eq, gt } from "drizzle-orm";
import { workers } from "@vectron/db";
import { WorkerSchema, type Worker } from "@vectron/proto/placement/v1";
import { VectronError, invalidArgument } from "@vectron/rpc-errors";
import type { PlacementDeps } from "./placement-deps";

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

/** Renews a registered worker's lease; `not_found` tells the worker to register again. */
export async function renewLease(deps: PlacementDeps, workerId: string): Promise<void> {
  if (!workerId) throw invalidArgument("workerId", "is required");
  const leaseExpiresAt = new Date(deps.now().getTime() + deps.leaseMs);
  const renewed = await deps.db
    .update(workers)
    .set({ leaseExpiresAt })
    .where(eq(workers.id, workerId))
    .returning({ id: workers.id });
  if (renewed.length === 0) throw new VectronError("not_found", `workerId: worker ${workerId} is not registered`);
}

/** Ids of the workers whose lease has not expired. */
export async function liveWorkerIds(deps: PlacementDeps): Promise<string[]> {
  const rows = await deps.db.select({ id: workers.id }).from(workers).where(gt(workers.leaseExpiresAt, deps.now()));
  return rows.map((row) => row.id);
}

/** Every known worker with its lease. */
export async function listWorkers(deps: PlacementDeps): Promise<Worker[]> {
  const now = deps.now();
  const rows = await deps.db.select().from(workers).orderBy(asc(workers.id));
  return rows.map((row) =>
    create(WorkerSchema, {
      id: row.id,
      address: row.address,
      leaseExpiresAt: timestampFromDate(row.leaseExpiresAt),
      live: row.leaseExpiresAt > now,
    }),
  );
}
