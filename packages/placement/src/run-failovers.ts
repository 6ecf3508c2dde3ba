import type { Db } from "@vectron/db";
import { replicaLoad, shardKey, type ClusterSnapshot, type ReplicaView, type ShardView } from "./cluster-snapshot";
import { commitFailover } from "./commit-failover";
import { decideFailover, type FenceAnswer } from "./decide-failover";
import { failoverTriggers, type FailoverTrigger } from "./failover-triggers";
import type { PlacementLog, WorkerClientFactory } from "./placement-deps";
import type { QuietLog } from "./quiet-log";
import { syncPlacementOn, WORKER_CALL_TIMEOUT_MS } from "./sync-placement-on";

export interface FailoverContext {
  db: Db;
  now: () => Date;
  workerClient: WorkerClientFactory;
  log: PlacementLog;
  /** Why a shard's failover is waiting, said once per reason. */
  quiet: QuietLog;
}

/** A failover that was committed: the shard's new epoch and primary. */
export interface FailoverDone {
  shard: ShardView;
  epoch: number;
  primary: string;
}

/**
 * Runs every failover the snapshot calls for (see failoverTriggers), shards in parallel,
 * and returns those it committed.
 */
export async function runFailovers(ctx: FailoverContext, snapshot: ClusterSnapshot): Promise<FailoverDone[]> {
  const triggers = failoverTriggers(snapshot);
  ctx.quiet.retain(new Set(triggers.map((t) => shardKey(t.shard))));
  const load = replicaLoad(snapshot);
  const results = await Promise.all(triggers.map((trigger) => failoverShard(ctx, snapshot, trigger, load)));
  return results.filter((r): r is FailoverDone => r !== undefined);
}

/**
 * One shard: fence at epoch + 1 (the old primary first when it is alive: it must answer),
 * decide, commit with a compare-and-set on the epoch, then tell the shard's workers.
 */
async function failoverShard(
  ctx: FailoverContext,
  snapshot: ClusterSnapshot,
  { shard, kind }: FailoverTrigger,
  load: ReadonlyMap<string, number>,
): Promise<FailoverDone | undefined> {
  const key = shardKey(shard);
  const ref = { collectionId: shard.collectionId, shardId: shard.shardId, epoch: BigInt(shard.epoch + 1) };
  const fence = async (replica: ReplicaView): Promise<FenceAnswer | undefined> => {
    const worker = snapshot.workers.get(replica.workerId);
    if (!worker?.live) return undefined;
    try {
      const answer = await ctx.workerClient(worker.address).fenceShard({ shard: ref }, { timeoutMs: WORKER_CALL_TIMEOUT_MS });
      return { logEpoch: answer.logEpoch, lastSeq: answer.lastSeq, partial: answer.partial };
    } catch {
      return undefined; // counted as not fenced; the decision says how many were needed
    }
  };
  const primary = shard.replicas.find((r) => r.role === "primary");
  const primaryFence = kind !== "unplanned" && primary ? await fence(primary) : undefined;
  const followers = shard.replicas.filter((r) => r !== primary);
  // Followers are fenced only if the live old primary (when there is one) answered: when
  // it did not, nothing may change. Their answers also tell which keep their state.
  const answers = kind === "unplanned" || primaryFence ? await Promise.all(followers.map(fence)) : [];
  const decision = decideFailover({
    kind,
    currentEpoch: BigInt(shard.epoch),
    replicationFactor: shard.replicationFactor,
    // Syncing replicas never count towards a write quorum on the primary (the worker
    // counts active followers only), so they are not among the N a failover must cover.
    replicaCount: shard.replicas.filter((r) => r.state !== "syncing").length,
    oldPrimary: primary && { workerId: primary.workerId, fence: primaryFence },
    followers: followers.map((f, i) => ({ ...f, workerLoad: load.get(f.workerId) ?? 0, fence: answers[i] })),
  });
  if (!decision.promote) {
    ctx.quiet.say(key, `shard ${key}: no new primary at epoch ${shard.epoch + 1} yet (${kind}): ${decision.why}`);
    return undefined;
  }
  const committed = await commitFailover(
    ctx.db,
    {
      collectionId: shard.collectionId,
      shardId: shard.shardId,
      fromEpoch: shard.epoch,
      newPrimary: decision.promote,
      oldPrimary: primary?.workerId,
      keepState: decision.keepState,
      oldPrimaryMustBeExpired: kind === "unplanned",
    },
    ctx.now(),
  );
  if (!committed) {
    ctx.quiet.say(key, `shard ${key}: epoch ${shard.epoch} changed (or its primary came back) during its failover; retrying at the next tick`);
    return undefined;
  }
  ctx.quiet.clear(key);
  ctx.log(`shard ${key}: epoch ${shard.epoch + 1}, primary ${decision.promote} (${decision.why})`);
  // Every replica's worker, the old primary too even if it looked dead: if it is back,
  // it learns at once that it no longer leads.
  const addresses = shard.replicas.flatMap((r) => snapshot.workers.get(r.workerId)?.address ?? []);
  await syncPlacementOn(ctx, addresses);
  return { shard, epoch: shard.epoch + 1, primary: decision.promote };
}
