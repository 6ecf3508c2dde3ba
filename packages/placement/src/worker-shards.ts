import { create } from "@bufbuild/protobuf";
import { eq } from "drizzle-orm";
import { collections, shardReplicas } from "@vectron/db";
import { ReplicaRole } from "@vectron/proto/v1";
import { WorkerShardSchema, type WorkerShard } from "@vectron/proto/placement/v1";
import { invalidArgument } from "@vectron/rpc-errors";
import { distanceFromColumn } from "./distance-column";
import type { PlacementDeps } from "./placement-deps";

/** Every shard replica placed on a worker (an indexed lookup by worker id). */
export async function listWorkerShards(deps: PlacementDeps, workerId: string): Promise<WorkerShard[]> {
  if (!workerId) throw invalidArgument("workerId", "is required");
  const rows = await deps.db
    .select({
      collectionId: shardReplicas.collectionId,
      shardId: shardReplicas.shardId,
      role: shardReplicas.role,
      dimension: collections.dimension,
      distance: collections.distance,
    })
    .from(shardReplicas)
    .innerJoin(collections, eq(collections.id, shardReplicas.collectionId))
    .where(eq(shardReplicas.workerId, workerId));
  return rows.map((row) =>
    create(WorkerShardSchema, {
      collectionId: row.collectionId,
      shardId: row.shardId,
      dimension: row.dimension,
      distance: distanceFromColumn(row.distance),
      role: row.role === "primary" ? ReplicaRole.PRIMARY : ReplicaRole.FOLLOWER,
    }),
  );
}
