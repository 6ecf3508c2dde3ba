import { and, asc, eq } from "drizzle-orm";
import { collections, shardReplicas, shards, workers, type Db, type ReplicaRole, type ReplicaState } from "@vectron/db";

/** A worker as the control loop sees it at one tick. */
export interface WorkerView {
  id: string;
  address: string;
  /** Its lease has not expired. */
  live: boolean;
  /** When its lease ends (or ended: a dead worker has been dead since). */
  leaseExpiresAt: Date;
  draining: boolean;
}

export interface ReplicaView {
  workerId: string;
  role: ReplicaRole;
  state: ReplicaState;
  leaving: boolean;
  stateSince: Date;
}

export interface ShardView {
  collectionId: string;
  shardId: number;
  epoch: number;
  replicationFactor: number;
  replicas: ReplicaView[];
}

/** Everything one tick of the control loop decides from, read in two queries. */
export interface ClusterSnapshot {
  now: Date;
  workers: Map<string, WorkerView>;
  /** Shards that have at least one replica, by collection id then shard id. */
  shards: ShardView[];
}

/** `collectionId/shardId`: a shard's key in maps and logs. */
export function shardKey(shard: { collectionId: string; shardId: number }): string {
  return `${shard.collectionId}/${shard.shardId}`;
}

/** Reads every worker and every replica (with its shard's epoch and replication factor). */
export async function loadClusterSnapshot(db: Db, now: Date): Promise<ClusterSnapshot> {
  const [workerRows, replicaRows] = await Promise.all([
    db.select().from(workers),
    db
      .select({
        collectionId: shardReplicas.collectionId,
        shardId: shardReplicas.shardId,
        workerId: shardReplicas.workerId,
        role: shardReplicas.role,
        state: shardReplicas.state,
        leaving: shardReplicas.leaving,
        stateSince: shardReplicas.stateSince,
        epoch: shards.epoch,
        replicationFactor: collections.replicationFactor,
      })
      .from(shardReplicas)
      .innerJoin(shards, and(eq(shards.collectionId, shardReplicas.collectionId), eq(shards.shardId, shardReplicas.shardId)))
      .innerJoin(collections, eq(collections.id, shardReplicas.collectionId))
      .orderBy(asc(shardReplicas.collectionId), asc(shardReplicas.shardId), asc(shardReplicas.workerId)),
  ]);
  const workerViews = new Map(
    workerRows.map((w) => [
      w.id,
      { id: w.id, address: w.address, live: w.leaseExpiresAt > now, leaseExpiresAt: w.leaseExpiresAt, draining: w.draining },
    ]),
  );
  const shardViews: ShardView[] = [];
  for (const row of replicaRows) {
    let shard = shardViews.at(-1);
    if (!shard || shard.collectionId !== row.collectionId || shard.shardId !== row.shardId) {
      shard = { collectionId: row.collectionId, shardId: row.shardId, epoch: row.epoch, replicationFactor: row.replicationFactor, replicas: [] };
      shardViews.push(shard);
    }
    shard.replicas.push({ workerId: row.workerId, role: row.role, state: row.state, leaving: row.leaving, stateSince: row.stateSince });
  }
  return { now, workers: workerViews, shards: shardViews };
}

/** Whether the replica's worker holds a live lease. */
export function isLive(snapshot: ClusterSnapshot, replica: ReplicaView): boolean {
  return snapshot.workers.get(replica.workerId)?.live ?? false;
}

/**
 * Replicas per worker, leaving ones excluded (they are on their way out): the load that
 * placement balances.
 */
export function replicaLoad(snapshot: ClusterSnapshot): Map<string, number> {
  const load = new Map([...snapshot.workers.keys()].map((id) => [id, 0]));
  for (const shard of snapshot.shards) {
    for (const replica of shard.replicas) {
      if (!replica.leaving) load.set(replica.workerId, (load.get(replica.workerId) ?? 0) + 1);
    }
  }
  return load;
}
