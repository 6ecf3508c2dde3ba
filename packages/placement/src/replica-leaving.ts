import { and, eq, inArray, or } from "drizzle-orm";
import { shardReplicas, workers, type Db } from "@vectron/db";

/** Marks every replica on a draining worker as leaving; returns how many changed. One statement. */
export async function markDrainingReplicasLeaving(db: Db): Promise<number> {
  const draining = db.select({ id: workers.id }).from(workers).where(eq(workers.draining, true));
  const changed = await db
    .update(shardReplicas)
    .set({ leaving: true })
    .where(and(eq(shardReplicas.leaving, false), inArray(shardReplicas.workerId, draining)))
    .returning({ workerId: shardReplicas.workerId });
  return changed.length;
}

/** A replica by shard and worker. */
export interface ReplicaRef {
  collectionId: string;
  shardId: number;
  workerId: string;
}

/** Marks the given replicas as leaving (rebalancing moves). One statement. */
export async function markReplicasLeaving(db: Db, refs: ReplicaRef[]): Promise<void> {
  if (refs.length === 0) return;
  await db
    .update(shardReplicas)
    .set({ leaving: true })
    .where(
      or(
        ...refs.map((ref) =>
          and(
            eq(shardReplicas.collectionId, ref.collectionId),
            eq(shardReplicas.shardId, ref.shardId),
            eq(shardReplicas.workerId, ref.workerId),
          ),
        ),
      ),
    );
}

/** Adds syncing followers (re-replication); one that exists already is left as it is. One statement. */
export async function addSyncingReplicas(db: Db, refs: ReplicaRef[], now: Date): Promise<void> {
  if (refs.length === 0) return;
  await db
    .insert(shardReplicas)
    .values(refs.map((ref) => ({ ...ref, role: "follower" as const, state: "syncing" as const, stateSince: now })))
    .onConflictDoNothing();
}
