import { create } from "@bufbuild/protobuf";
import { eq, inArray } from "drizzle-orm";
import { collections, payloadIndexes, shardReplicas } from "@vectron/db";
import { ReplicaRole } from "@vectron/proto/v1";
import { WorkerShardSchema, type WorkerShard } from "@vectron/proto/placement/v1";
import { invalidArgument } from "@vectron/rpc-errors";
import { distanceFromName, payloadIndexKindFromName } from "@vectron/enum-names";
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
  const collectionIds = [...new Set(rows.map((row) => row.collectionId))];
  const indexRows = collectionIds.length
    ? await deps.db.select().from(payloadIndexes).where(inArray(payloadIndexes.collectionId, collectionIds))
    : [];
  return rows.map((row) =>
    create(WorkerShardSchema, {
      collectionId: row.collectionId,
      shardId: row.shardId,
      dimension: row.dimension,
      distance: distanceFromName(row.distance),
      role: row.role === "primary" ? ReplicaRole.PRIMARY : ReplicaRole.FOLLOWER,
      payloadIndexes: indexRows
        .filter((index) => index.collectionId === row.collectionId)
        .map((index) => ({ key: index.key, kind: payloadIndexKindFromName(index.kind) })),
    }),
  );
}
