import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { asc, eq, inArray } from "drizzle-orm";
import { collections, payloadIndexes, shardReplicas, shards, workers, type Db } from "@vectron/db";
import { CollectionPlacementSchema, type CollectionPlacement } from "@vectron/proto/placement/v1";
import { distanceFromName, payloadIndexKindFromName } from "@vectron/enum-names";
import { byRoleThenWorker, replicaWithWorkerColumns, shardReplicaMessage } from "./replica-message";

type CollectionRow = typeof collections.$inferSelect;

/**
 * Collection rows with their shards and replicas, as placement messages (the one place
 * rows become CollectionPlacement), with each shard's epoch and each replica's state as
 * recorded (see shardReplicaMessage).
 */
export async function loadPlacements(db: Db, rows: CollectionRow[], now: Date): Promise<CollectionPlacement[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [shardRows, replicaRows, indexRows] = await Promise.all([
    db.select().from(shards).where(inArray(shards.collectionId, ids)).orderBy(asc(shards.shardId)),
    db
      .select(replicaWithWorkerColumns)
      .from(shardReplicas)
      .innerJoin(workers, eq(workers.id, shardReplicas.workerId))
      .where(inArray(shardReplicas.collectionId, ids)),
    db.select().from(payloadIndexes).where(inArray(payloadIndexes.collectionId, ids)).orderBy(asc(payloadIndexes.key)),
  ]);
  return rows.map((row) =>
    create(CollectionPlacementSchema, {
      id: row.id,
      ownerId: row.ownerId,
      name: row.name,
      dimension: row.dimension,
      distance: distanceFromName(row.distance),
      shardCount: row.shardCount,
      replicationFactor: row.replicationFactor,
      createdAt: timestampFromDate(row.createdAt),
      payloadIndexes: indexRows
        .filter((index) => index.collectionId === row.id)
        .map((index) => ({ key: index.key, kind: payloadIndexKindFromName(index.kind) })),
      shards: shardRows
        .filter((shard) => shard.collectionId === row.id)
        .map((shard) => ({
          shardId: shard.shardId,
          epoch: BigInt(shard.epoch),
          replicas: replicaRows
            .filter((r) => r.collectionId === row.id && r.shardId === shard.shardId)
            .sort(byRoleThenWorker)
            .map((r) => shardReplicaMessage(r, now)),
        })),
    }),
  );
}

