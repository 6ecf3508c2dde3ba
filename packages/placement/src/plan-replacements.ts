import { isLive, replicaLoad, shardKey, type ClusterSnapshot, type ReplicaView, type ShardView } from "./cluster-snapshot";

/** A new follower to add: `workerId` gets a syncing replica of `shard`. */
export interface Replacement {
  shard: ShardView;
  workerId: string;
}

export interface ReplacementPlan {
  add: Replacement[];
  /** Shards short of replicas with no worker to put one on, and why (for the log). */
  stuck: { shard: ShardView; why: string }[];
}

/**
 * Tops up every shard to its replication factor in replicas that stay: on live, undrained
 * workers and not leaving. A replica on a dead worker still counts for `replaceAfterMs`
 * after its lease expired (a restart should not cost a copy); leaving replicas and those on
 * draining workers are replaced at once. A shard whose primary is not live waits for a
 * failover first: nothing could feed a new replica, and an extra replica raises the
 * number of followers a failover must fence. Each new replica goes to the live undrained
 * worker with the fewest replicas (leaving ones excluded) that holds none of the shard.
 */
export function planReplacements(
  snapshot: ClusterSnapshot,
  replaceAfterMs: number,
  skip: ReadonlySet<string> = new Set(),
): ReplacementPlan {
  const load = replicaLoad(snapshot);
  const targets = [...snapshot.workers.values()].filter((w) => w.live && !w.draining).map((w) => w.id);
  const plan: ReplacementPlan = { add: [], stuck: [] };
  const graceEnds = snapshot.now.getTime() - replaceAfterMs;
  for (const shard of snapshot.shards) {
    if (skip.has(shardKey(shard))) continue;
    const primary = shard.replicas.find((r) => r.role === "primary");
    if (!primary || !isLive(snapshot, primary)) continue;
    const staying = shard.replicas.filter((r) => isStaying(snapshot, r)).length;
    const inGrace = shard.replicas.filter((r) => {
      const worker = snapshot.workers.get(r.workerId);
      return !r.leaving && !!worker && !worker.live && worker.leaseExpiresAt.getTime() > graceEnds;
    }).length;
    let missing = shard.replicationFactor - staying - inGrace;
    const holders = new Set(shard.replicas.map((r) => r.workerId));
    while (missing-- > 0) {
      const target = leastLoaded(targets.filter((id) => !holders.has(id)), load);
      if (!target) {
        plan.stuck.push({ shard, why: `needs ${missing + 1} more replica(s) but every live undrained worker holds one already` });
        break;
      }
      plan.add.push({ shard, workerId: target });
      holders.add(target);
      load.set(target, (load.get(target) ?? 0) + 1);
    }
  }
  return plan;
}

function isStaying(snapshot: ClusterSnapshot, replica: ReplicaView): boolean {
  const worker = snapshot.workers.get(replica.workerId);
  return !replica.leaving && !!worker?.live && !worker.draining;
}

/** The candidate with the fewest replicas, ties by id; undefined when there is none. */
export function leastLoaded(candidates: string[], load: ReadonlyMap<string, number>): string | undefined {
  return candidates.sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || (a < b ? -1 : 1))[0];
}
