import { create } from "@bufbuild/protobuf";
import { and, eq, inArray } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { collections, payloadIndexes, shardReplicas, shards, workers } from "@vectron/db";
import { ReplicaRole } from "@vectron/proto/v1";
import { WorkerShardSchema, type WorkerShard } from "@vectron/proto/placement/v1";
import { invalidArgument } from "@vectron/rpc-errors";
import { distanceFromName, payloadIndexKindFromName } from "@vectron/enum-names";
import type { PlacementDeps } from "./placement-deps";
import { byRoleThenWorker, replicaStateOf, replicaWithWorkerColumns, shardReplicaMessage } from "./replica-message";

/**
 * Every shard replica placed on a worker, with the shard's epoch, replication factor and
 * every replica of it (this one included): what the worker needs to take up its role.
 * Three indexed queries whatever the number of shards.
 */
export async function listWorkerShards(deps: PlacementDeps, workerId: string): Promise<WorkerShard[]> {
  if (!workerId) throw invalidArgument("workerId", "is required");
  const now = deps.now();
  const rows = await deps.db
    .select({
      collectionId: shardReplicas.collectionId,
      shardId: shardReplicas.shardId,
      role: shardReplicas.role,
      state: shardReplicas.state,
      leaseExpiresAt: workers.leaseExpiresAt,
      epoch: shards.epoch,
      dimension: collections.dimension,
      distance: collections.distance,
      replicationFactor: collections.replicationFactor,
    })
    .from(shardReplicas)
    .innerJoin(workers, eq(workers.id, shardReplicas.workerId))
    .innerJoin(shards, and(eq(shards.collectionId, shardReplicas.collectionId), eq(shards.shardId, shardReplicas.shardId)))
    .innerJoin(collections, eq(collections.id, shardReplicas.collectionId))
    .where(eq(shardReplicas.workerId, workerId));
  if (rows.length === 0) return [];
  const collectionIds = [...new Set(rows.map((row) => row.collectionId))];
  const [indexRows, peerRows] = await Promise.all([
    deps.db.select().from(payloadIndexes).where(inArray(payloadIndexes.collectionId, collectionIds)),
    replicasOfShardsOn(deps, workerId),
  ]);
  return rows.map((row) =>
    create(WorkerShardSchema, {
      collectionId: row.collectionId,
      shardId: row.shardId,
      dimension: row.dimension,
      distance: distanceFromName(row.distance),
      role: row.role === "primary" ? ReplicaRole.PRIMARY : ReplicaRole.FOLLOWER,
      epoch: BigInt(row.epoch),
      replicationFactor: row.replicationFactor,
      state: replicaStateOf(row, now),
      replicas: peerRows
        .filter((peer) => peer.collectionId === row.collectionId && peer.shardId === row.shardId)
        .sort(byRoleThenWorker)
        .map((peer) => shardReplicaMessage(peer, now)),
      payloadIndexes: indexRows
        .filter((index) => index.collectionId === row.collectionId)
        .map((index) => ({ key: index.key, kind: payloadIndexKindFromName(index.kind) })),
    }),
  );
}

/** Every replica (with its worker) of every shard that has a replica on `workerId`. */
function replicasOfShardsOn(deps: PlacementDeps, workerId: string) {
  const mine = alias(shardReplicas, "mine");
  return deps.db
    .select(replicaWithWorkerColumns)
    .from(mine)
    .innerJoin(shardReplicas, and(eq(shardReplicas.collectionId, mine.collectionId), eq(shardReplicas.shardId, mine.shardId)))
    .innerJoin(workers, eq(workers.id, shardReplicas.workerId))
    .where(eq(mine.workerId, workerId));
}
