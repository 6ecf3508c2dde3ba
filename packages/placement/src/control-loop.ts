import type { Db } from "@vectron/db";
import { loadClusterSnapshot, shardKey } from "./cluster-snapshot";
import { markOfflineReplicas } from "./mark-offline-replicas";
import type { PlacementLog, WorkerClientFactory } from "./placement-deps";
import { DEFAULT_MAX_MOVES_IN_FLIGHT, planRebalance, type Move } from "./plan-rebalance";
import { planReplacements, type Replacement } from "./plan-replacements";
import { QuietLog } from "./quiet-log";
import { addSyncingReplicas, markDrainingReplicasLeaving, markReplicasLeaving } from "./replica-leaving";
import { runFailovers, type FailoverDone } from "./run-failovers";
import { syncPlacementOn } from "./sync-placement-on";

/** Default time a replica on a dead worker is waited for before it is replaced. */
export const DEFAULT_REPLACE_AFTER_MS = 30_000;

export interface ControlLoopOptions {
  db: Db;
  now: () => Date;
  /** Reaches a worker by its registered address (FenceShard, SyncPlacement). */
  workerClient: WorkerClientFactory;
  log: PlacementLog;
  /** How long a replica on a dead worker is waited for before a replacement is added. */
  replaceAfterMs?: number;
  /** Rebalancing moves under way at once, cluster-wide. */
  maxMovesInFlight?: number;
}

/** What one tick did. */
export interface TickReport {
  markedOffline: number;
  markedLeaving: number;
  failovers: FailoverDone[];
  moves: Move[];
  added: Replacement[];
}

export interface ControlLoop {
  /** One tick: offline marking, drain marking, failover, rebalancing, re-replication. */
  runOnce(): Promise<TickReport>;
}

/**
 * The placement leader's control loop. A tick reads the cluster in two queries, decides
 * with pure functions (failoverTriggers/decideFailover, planRebalance, planReplacements)
 * and writes back in a handful of statements; worker calls are short and best effort,
 * except fencing, which a failover needs answered.
 */
export function createControlLoop(options: ControlLoopOptions): ControlLoop {
  const { db, now, workerClient, log } = options;
  const replaceAfterMs = options.replaceAfterMs ?? DEFAULT_REPLACE_AFTER_MS;
  const maxMoves = options.maxMovesInFlight ?? DEFAULT_MAX_MOVES_IN_FLIGHT;
  const failoverLog = new QuietLog(log);
  const replicaLog = new QuietLog(log);
  return {
    async runOnce() {
      const tickStart = now();
      const markedOffline = await markOfflineReplicas(db, tickStart);
      const markedLeaving = await markDrainingReplicasLeaving(db);
      const snapshot = await loadClusterSnapshot(db, tickStart);
      const failovers = await runFailovers({ db, now, workerClient, log, quiet: failoverLog }, snapshot);

      const moves = planRebalance(snapshot, maxMoves);
      const leaving = moves.map((m) => ({ collectionId: m.shard.collectionId, shardId: m.shard.shardId, workerId: m.fromWorkerId }));
      await markReplicasLeaving(db, leaving);
      for (const move of moves) {
        move.shard.replicas.find((r) => r.workerId === move.fromWorkerId)!.leaving = true;
        log(`shard ${shardKey(move.shard)}: rebalancing its replica on ${move.fromWorkerId} towards ${move.toWorkerId}`);
      }

      // A shard whose primary just changed is re-read at the next tick.
      const plan = planReplacements(snapshot, replaceAfterMs, new Set(failovers.map((d) => shardKey(d.shard))));
      replicaLog.retain(new Set(plan.stuck.map((s) => shardKey(s.shard))));
      for (const { shard, why } of plan.stuck) replicaLog.say(shardKey(shard), `shard ${shardKey(shard)}: ${why}`);
      const added = plan.add.map((r) => ({ collectionId: r.shard.collectionId, shardId: r.shard.shardId, workerId: r.workerId }));
      await addSyncingReplicas(db, added, tickStart);
      const notify = new Set<string>();
      for (const { shard, workerId } of plan.add) {
        log(`shard ${shardKey(shard)}: new replica on ${workerId}`);
        const primary = shard.replicas.find((r) => r.role === "primary");
        for (const id of [workerId, primary?.workerId]) {
          const address = id === undefined ? undefined : snapshot.workers.get(id)?.address;
          if (address) notify.add(address);
        }
      }
      await syncPlacementOn({ workerClient, log }, notify);
      return { markedOffline, markedLeaving, failovers, moves, added: plan.add };
    },
  };
}
