import { and, eq, inArray, lte } from "drizzle-orm";
import { shardReplicas, workers, type Db } from "@vectron/db";

/**
 * Records as offline every active replica whose worker's lease has expired. A syncing
 * one stays syncing: that it may lack part of the log matters more to a failover than
 * why it is unreachable (messages show it offline either way). Returns how many
 * changed. One statement.
 */
export async function markOfflineReplicas(db: Db, now: Date): Promise<number> {
  const expired = db.select({ id: workers.id }).from(workers).where(lte(workers.leaseExpiresAt, now));
  const changed = await db
    .update(shardReplicas)
    .set({ state: "offline", stateSince: now })
    .where(and(eq(shardReplicas.state, "active"), inArray(shardReplicas.workerId, expired)))
    .returning({ workerId: shardReplicas.workerId });
  return changed.length;
}
