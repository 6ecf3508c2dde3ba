import { isLive, replicaLoad, type ClusterSnapshot, type ShardView } from "./cluster-snapshot";

/** A follower to mark leaving: its replacement goes to a less loaded worker. */
export interface Move {
  shard: ShardView;
  /** The worker giving the replica up. */
  fromWorkerId: string;
  /** The worker expected to receive the replacement (planReplacements picks it). */
  toWorkerId: string;
}

/** Rebalancing moves that may be in flight at once, cluster-wide. */
export const DEFAULT_MAX_MOVES_IN_FLIGHT = 2;

/**
 * Moves followers from the most loaded live undrained worker (that has a follower to
 * give) to the least loaded while they differ by 2 or more replicas (leaving replicas do not count: they are going).
 * Only a quiet shard moves: exactly its replication factor of replicas, all active on
 * live workers, none leaving; so one move per shard at a time, and never a primary.
 * At most `maxInFlight` moves are under way cluster-wide, counting those already marked
 * (leaving followers on undrained workers).
 */
export function planRebalance(snapshot: ClusterSnapshot, maxInFlight = DEFAULT_MAX_MOVES_IN_FLIGHT): Move[] {
  const eligible = [...snapshot.workers.values()].filter((w) => w.live && !w.draining).map((w) => w.id);
  const inFlight = snapshot.shards.filter((shard) =>
    shard.replicas.some((r) => r.leaving && !snapshot.workers.get(r.workerId)?.draining),
  ).length;
  const load = replicaLoad(snapshot);
  const moved = new Set<ShardView>();
  const moves: Move[] = [];
  while (inFlight + moves.length < maxInFlight) {
    const move = nextMove(snapshot, eligible, load, moved);
    if (!move) break;
    moves.push(move);
    moved.add(move.shard);
    load.set(move.fromWorkerId, load.get(move.fromWorkerId)! - 1);
    load.set(move.toWorkerId, load.get(move.toWorkerId)! + 1);
  }
  return moves;
}

/**
 * The most loaded worker that can give a follower away to one holding 2 fewer replicas
 * (a worker holding only primaries cannot), and the least loaded such receiver.
 */
function nextMove(snapshot: ClusterSnapshot, eligible: string[], load: Map<string, number>, moved: Set<ShardView>): Move | undefined {
  const byLoad = [...eligible].sort((a, b) => load.get(a)! - load.get(b)! || (a < b ? -1 : 1));
  for (const from of [...byLoad].reverse()) {
    const receivers = byLoad.filter((id) => load.get(from)! - load.get(id)! >= 2);
    if (receivers.length === 0) return undefined; // less loaded givers have no receivers either
    for (const shard of snapshot.shards) {
      if (moved.has(shard) || !isQuiet(snapshot, shard)) continue;
      if (!shard.replicas.some((r) => r.workerId === from && r.role === "follower")) continue;
      const to = receivers.find((id) => !shard.replicas.some((r) => r.workerId === id));
      if (to) return { shard, fromWorkerId: from, toWorkerId: to };
    }
  }
  return undefined;
}

function isQuiet(snapshot: ClusterSnapshot, shard: ShardView): boolean {
  return (
    shard.replicas.length === shard.replicationFactor &&
    shard.replicas.every((r) => r.state === "active" && !r.leaving && isLive(snapshot, r))
  );
}
