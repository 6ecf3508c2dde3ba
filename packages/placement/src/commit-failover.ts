import { and, eq, ne, notInArray, sql } from "drizzle-orm";
import { shardReplicas, shards, workers, type Db } from "@vectron/db";
import { removeSurplusReplicas } from "./remove-surplus-replicas";

export interface FailoverCommit {
  collectionId: string;
  shardId: number;
  /** The epoch the decision was made at; the commit applies only if it is still current. */
  fromEpoch: number;
  newPrimary: string;
  oldPrimary?: string;
  /** Replicas known to hold a prefix of the new primary's log: they keep their state. */
  keepState: string[];
  /**
   * An unplanned failover: commit only if the old primary's lease is still expired. A
   * heartbeat that renewed it after the decision was read means the old primary may have
   * re-read its role as primary; the next tick then re-confirms it ("returned") instead.
   */
  oldPrimaryMustBeExpired?: boolean;
}

/**
 * Records a new primary in one transaction, with a compare-and-set on the epoch: the
 * shard moves to fromEpoch + 1 only if nobody changed it since the decision. The winner
 * becomes an active primary; the old primary (if another) an offline follower; every
 * replica not in keepState (the old primary included) becomes syncing, because it may
 * have to copy the new primary's log from scratch: the primary now streaming to it
 * reports when it is in sync again (ReportReplicaInSync). Replicas beyond the
 * replication factor are then removed by the usual rule (a leaving old primary goes once
 * enough in-sync replicas remain). Returns the removed workers, or undefined when the
 * epoch had moved on.
 */
export async function commitFailover(db: Db, commit: FailoverCommit, now: Date): Promise<{ removed: string[] } | undefined> {
  return db.transaction(async (tx) => {
    if (commit.oldPrimaryMustBeExpired && commit.oldPrimary) {
      // FOR UPDATE: a heartbeat renewing this lease waits for this transaction, and then
      // finds its lease lapsed (HeartbeatResponse.lease_lapsed), so it re-reads its role.
      const [old] = await tx.select({ lease: workers.leaseExpiresAt }).from(workers).where(eq(workers.id, commit.oldPrimary)).for("update");
      if (old && old.lease > now) return undefined;
    }
    const shardWhere = and(eq(shards.collectionId, commit.collectionId), eq(shards.shardId, commit.shardId));
    const bumped = await tx
      .update(shards)
      .set({ epoch: commit.fromEpoch + 1 })
      .where(and(shardWhere, eq(shards.epoch, commit.fromEpoch)))
      .returning({ epoch: shards.epoch });
    if (bumped.length === 0) return undefined;
    const replicaWhere = and(eq(shardReplicas.collectionId, commit.collectionId), eq(shardReplicas.shardId, commit.shardId));
    if (commit.oldPrimary && commit.oldPrimary !== commit.newPrimary) {
      await tx
        .update(shardReplicas)
        .set({ role: "follower", state: "offline", stateSince: now })
        .where(and(replicaWhere, eq(shardReplicas.workerId, commit.oldPrimary)));
    }
    await tx
      .update(shardReplicas)
      .set({ state: "syncing", stateSince: now })
      .where(
        and(
          replicaWhere,
          ne(shardReplicas.state, "syncing"),
          notInArray(shardReplicas.workerId, [commit.newPrimary, ...commit.keepState]),
        ),
      );
    await tx
      .update(shardReplicas)
      .set({
        role: "primary",
        state: "active",
        stateSince: sql`case when ${shardReplicas.state} = 'active' then ${shardReplicas.stateSince} else ${now.toISOString()}::timestamptz end`,
      })
      .where(and(replicaWhere, eq(shardReplicas.workerId, commit.newPrimary)));
    // Any other replica still marked primary (a shard that had lost track) steps down.
    await tx
      .update(shardReplicas)
      .set({ role: "follower" })
      .where(and(replicaWhere, eq(shardReplicas.role, "primary"), ne(shardReplicas.workerId, commit.newPrimary)));
    const { removed } = await removeSurplusReplicas(tx, replicaWhere, now);
    return { removed };
  });
}
