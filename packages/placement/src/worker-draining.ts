import { eq, sql } from "drizzle-orm";
import { workers } from "@vectron/db";
import type { Worker } from "@vectron/proto/placement/v1";
import { VectronError, invalidArgument } from "@vectron/rpc-errors";
import type { PlacementDeps } from "./placement-deps";
import { loadWorkers } from "./worker-records";

/**
 * Marks a worker as draining (the control loop then moves its replicas away and places
 * nothing new on it) or takes it back into service. Undraining keeps the moves already
 * under way (a replacement exists: the shard has more replicas than its replication
 * factor) and cancels the others, whose replicas stay where they are.
 */
export async function setWorkerDraining(deps: PlacementDeps, workerId: string, draining: boolean): Promise<Worker> {
  if (!workerId) throw invalidArgument("workerId", "is required");
  await deps.db.transaction(async (tx) => {
    const updated = await tx.update(workers).set({ draining }).where(eq(workers.id, workerId)).returning({ id: workers.id });
    if (updated.length === 0) throw new VectronError("not_found", `workerId: worker ${workerId} is not registered`);
    if (draining) return;
    // Correlated counts say it more plainly than the query builder can.
    await tx.execute(sql`
      update shard_replicas r set leaving = false
      where r.worker_id = ${workerId} and r.leaving
        and (select count(*) from shard_replicas p where p.collection_id = r.collection_id and p.shard_id = r.shard_id)
          <= (select c.replication_factor from collections c where c.id = r.collection_id)`);
  });
  const [worker] = await loadWorkers(deps.db, deps.now(), workerId);
  return worker!;
}
