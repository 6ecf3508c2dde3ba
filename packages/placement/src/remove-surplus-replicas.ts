import { and, eq, inArray, type SQL } from "drizzle-orm";
import { collections, shardReplicas, workers, type Db } from "@vectron/db";
import { chooseReplicasToRemove } from "./replica-removal";

/** A transaction of the placement database. */
export type PlacementTx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/**
 * In a transaction: reads the replicas of one shard (`shardWhere` selects them) with
 * their workers, and deletes those beyond the replication factor that
 * chooseReplicasToRemove gives up. Returns what it read and the workers it removed.
 */
export async function removeSurplusReplicas(tx: PlacementTx, shardWhere: SQL | undefined, now: Date) {
  const replicas = await tx
    .select({
      workerId: shardReplicas.workerId,
      role: shardReplicas.role,
      state: shardReplicas.state,
      leaving: shardReplicas.leaving,
      address: workers.address,
      leaseExpiresAt: workers.leaseExpiresAt,
      replicationFactor: collections.replicationFactor,
    })
    .from(shardReplicas)
    .innerJoin(workers, eq(workers.id, shardReplicas.workerId))
    .innerJoin(collections, eq(collections.id, shardReplicas.collectionId))
    .where(shardWhere);
  const removed = chooseReplicasToRemove(
    replicas.map((r) => ({ ...r, workerLive: r.leaseExpiresAt > now })),
    replicas[0]?.replicationFactor ?? 0,
  );
  if (removed.length) await tx.delete(shardReplicas).where(and(shardWhere, inArray(shardReplicas.workerId, removed)));
  return { replicas, removed };
}
