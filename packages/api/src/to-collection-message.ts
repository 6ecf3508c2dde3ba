import { create } from "@bufbuild/protobuf";
import { CollectionSchema, type Collection } from "@vectron/proto/v1";
import type { CollectionPlacement } from "@vectron/proto/placement/v1";

/** A collection's placement, as the public API shows it; the one place this conversion happens. */
export function toCollectionMessage(placement: CollectionPlacement, pointCount: number): Collection {
  return create(CollectionSchema, {
    name: placement.name,
    dimension: placement.dimension,
    distance: placement.distance,
    pointCount: BigInt(pointCount),
    shardCount: placement.shardCount,
    replicationFactor: placement.replicationFactor,
    createdAt: placement.createdAt,
    payloadIndexes: placement.payloadIndexes,
    shards: placement.shards.map((shard) => ({
      id: shard.shardId,
      epoch: shard.epoch,
      replicas: shard.replicas.map((replica) => ({
        workerId: replica.workerId,
        address: replica.address,
        role: replica.role,
        state: replica.state,
      })),
    })),
  });
}
