import type { Client } from "@connectrpc/connect";
import type { PlacementService } from "@vectron/proto/placement/v1";
import type { WorkerService } from "@vectron/proto/worker/v1";

/**
 * Opens every shard replica placement has put on this worker. Opening is idempotent, so
 * this only creates what is missing: a shard whose collection was recorded just before a
 * crash, or every shard after the worker's disk was replaced. Shards on disk that
 * placement does not know are left alone (never deleted on the word of a database).
 */
export async function openPlacedShards(
  placement: Client<typeof PlacementService>,
  worker: Client<typeof WorkerService>,
  workerId: string,
): Promise<number> {
  const { shards } = await placement.listWorkerShards({ workerId });
  for (const shard of shards) {
    await worker.openShard({
      spec: {
        shard: { collectionId: shard.collectionId, shardId: shard.shardId },
        dimension: shard.dimension,
        distance: shard.distance,
        payloadIndexes: shard.payloadIndexes,
      },
    });
  }
  return shards.length;
}
