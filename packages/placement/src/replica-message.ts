import { create } from "@bufbuild/protobuf";
import { shardReplicas, workers, type ReplicaRole as ReplicaRoleColumn, type ReplicaState as ReplicaStateColumn } from "@vectron/db";
import { ReplicaRole, ReplicaState } from "@vectron/proto/v1";
import { ShardReplicaSchema, type ShardReplica } from "@vectron/proto/placement/v1";

/** A replica row joined with its worker: what a ShardReplica message is made of. */
export interface ReplicaWithWorker {
  workerId: string;
  role: ReplicaRoleColumn;
  state: ReplicaStateColumn;
  address: string;
  leaseExpiresAt: Date;
}

/**
 * The columns to select (from shard_replicas joined with workers) for a replica row
 * with its shard: a ReplicaWithWorker and where it belongs.
 */
export const replicaWithWorkerColumns = {
  collectionId: shardReplicas.collectionId,
  shardId: shardReplicas.shardId,
  workerId: shardReplicas.workerId,
  role: shardReplicas.role,
  state: shardReplicas.state,
  address: workers.address,
  leaseExpiresAt: workers.leaseExpiresAt,
};

/**
 * The one place a replica row becomes a ShardReplica. A replica whose worker's lease has
 * expired is shown as offline whatever its stored state: the control loop records that
 * only at its next tick.
 */
export function shardReplicaMessage(row: ReplicaWithWorker, now: Date): ShardReplica {
  return create(ShardReplicaSchema, {
    workerId: row.workerId,
    address: row.address,
    role: row.role === "primary" ? ReplicaRole.PRIMARY : ReplicaRole.FOLLOWER,
    state: replicaStateOf(row, now),
  });
}

/** The state a replica is shown with (see shardReplicaMessage). */
export function replicaStateOf(row: Pick<ReplicaWithWorker, "state" | "leaseExpiresAt">, now: Date): ReplicaState {
  if (row.leaseExpiresAt <= now) return ReplicaState.OFFLINE;
  if (row.state === "active") return ReplicaState.ACTIVE;
  if (row.state === "syncing") return ReplicaState.SYNCING;
  return ReplicaState.OFFLINE;
}

/** Primary first, then by worker id: the stable order clients see replicas in. */
export function byRoleThenWorker(a: ReplicaWithWorker, b: ReplicaWithWorker): number {
  if (a.role !== b.role) return a.role === "primary" ? -1 : 1;
  return a.workerId < b.workerId ? -1 : a.workerId > b.workerId ? 1 : 0;
}
