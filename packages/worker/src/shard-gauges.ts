import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defaultConnectivity } from "@vectron/shard-store";
import type { ReplicationEngine } from "./replication-engine";
import type { ShardOps } from "./shard-ops";
import { shardDirOf, type ShardSpecFile } from "./shard-registry";

/** One shard replica on this worker, as its /metrics shows it. */
export interface ShardGauge {
  /** The collection's id (a UUID, never its name) and the shard's number. */
  collectionId: string;
  shardId: string;
  primary: boolean;
  points: number;
  lastSeq: number;
  /** See indexBytesEstimate. */
  indexBytes: number;
  /** Followers of a primary: the primary's last sequence minus the follower's last acknowledged one (undefined until it first answered). */
  followers: { workerId: string; lagSeq: number | undefined }[];
}

/**
 * Estimated memory of an F32 HNSW index: per point, the vector (4 bytes a dimension),
 * its base-layer neighbour list (2 × connectivity slots of 4 bytes) and about 16 bytes
 * of key and header. usearch's Node binding does not report its own memory use.
 */
export function indexBytesEstimate(points: number, dimension: number, connectivity = defaultConnectivity): number {
  return points * (4 * dimension + 2 * connectivity * 4 + 16);
}

/** Every replica the replication engine knows on this worker; one that fails to answer its status is left out. */
export async function readShardGauges(dataDir: string, shards: ShardOps, replication: ReplicationEngine): Promise<ShardGauge[]> {
  const gauges = await Promise.all(
    replication.replicaReport().map(async ({ key, primary, followers }): Promise<ShardGauge | undefined> => {
      const status = await shards.status(key).catch(() => undefined);
      if (!status) return undefined;
      const [collectionId = key, shardId = ""] = key.split("/");
      return {
        collectionId,
        shardId,
        primary,
        points: status.count,
        lastSeq: status.lastSeq,
        indexBytes: indexBytesEstimate(status.count, dimensionOf(dataDir, key)),
        followers: followers.map(({ workerId, acked }) => ({ workerId, lagSeq: acked === undefined ? undefined : Math.max(0, status.lastSeq - acked) })),
      };
    }),
  );
  return gauges.filter((gauge) => gauge !== undefined);
}

/** The dimension recorded in the shard's spec file (never changes for a shard, so read once). */
const dimensions = new Map<string, number>();
function dimensionOf(dataDir: string, key: string): number {
  const path = join(shardDirOf(dataDir, key), "shard.json");
  let dimension = dimensions.get(path);
  if (dimension === undefined) {
    try {
      dimension = (JSON.parse(readFileSync(path, "utf8")) as ShardSpecFile).dimension;
      dimensions.set(path, dimension);
    } catch {
      return 0;
    }
  }
  return dimension;
}
