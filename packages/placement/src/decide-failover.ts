import type { ReplicaState } from "@vectron/db";

/** Why a shard needs its primary replaced (or re-confirmed) at a new epoch. */
export type FailoverKind =
  /** The primary's worker lease expired. */
  | "unplanned"
  /** The primary is leaving (drain, rebalance) and an active follower can take over. */
  | "planned"
  /**
   * The primary's worker is live again after its lease lapsed. Followers may have been
   * fenced at a higher epoch meanwhile (a failover that gave up), so the primary is
   * confirmed at a new epoch that outranks any such promise.
   */
  | "returned";

/** What a replica answered to FenceShard: how far its log goes. */
export interface FenceAnswer {
  logEpoch: bigint;
  lastSeq: bigint;
  /** It holds a partial copy: it keeps no state across a failover (see worker.proto). */
  partial?: boolean;
}

export interface FailoverFollower {
  workerId: string;
  /**
   * As recorded. A syncing replica is never counted: it may be copying the log from
   * scratch (a worker that empties itself reports the new log epoch with a partial log),
   * and every follower a failover cannot vouch for is marked syncing (see keepState).
   */
  state: ReplicaState;
  leaving: boolean;
  /** Replicas placed on its worker (a tie-break: the new primary's worker does more work). */
  workerLoad: number;
  /** Undefined when it was not fenced: worker down, no answer, or an error. */
  fence?: FenceAnswer;
}

export interface FailoverInput {
  kind: FailoverKind;
  /** The shard's epoch before this failover. */
  currentEpoch: bigint;
  replicationFactor: number;
  /**
   * N: the replicas of the shard whose acknowledgements a primary may have counted: all
   * but the syncing ones (the old primary included).
   */
  replicaCount: number;
  oldPrimary?: { workerId: string; fence?: FenceAnswer };
  followers: FailoverFollower[];
}

export type FailoverDecision =
  | {
      promote: string;
      why: string;
      /**
       * The other replicas whose fenced log is a prefix of the new primary's (same log
       * epoch, last seq no higher): they keep their state. Every other replica is marked
       * syncing: it may empty itself to copy the new primary's log, and until the primary
       * reports it in sync it must not count in a later failover.
       */
      keepState: string[];
    }
  | { promote?: undefined; why: string };

/** The default write quorum: a majority of the replication factor, the primary included. */
export function writeQuorum(replicationFactor: number): number {
  return Math.floor(replicationFactor / 2) + 1;
}

/**
 * Which replica becomes primary at the new epoch, or why none can yet.
 *
 * Safety: a write acknowledged in the current epoch is durable on W replicas, the primary
 * among them, so on W - 1 followers, each of which then holds the current epoch's log. A
 * set of at least N - W + 1 fenced, not syncing followers of the current log epoch leaves out at most
 * W - 2 of the N - 1 followers, so it meets every write quorum: some member holds each
 * acknowledged write. They all hold prefixes of one log, so the member with the highest
 * last seq holds every acknowledged write (and, holding the current log, the base it
 * continues). Followers of older log epochs are left out: their sequence numbers count in
 * another log and may stand for writes the current primary never had. Syncing followers
 * are left out too: they may be copying from scratch, and a replica keeps holding what it
 * held only while no failover marked it syncing (see keepState). Fencing first means no
 * old primary can gather a quorum for anything newer once they answered.
 *
 * A fenced old primary holds its whole log, so a current-epoch follower that reached its
 * last seq loses nothing either (planned handoff), and the old primary itself is always a
 * safe choice: a returning primary is confirmed at the new epoch (its followers may have
 * been fenced by a failover that gave up), and a handoff that found no follower caught
 * up keeps the primary, at the new epoch, and tries again at a later tick.
 */
export function decideFailover(input: FailoverInput): FailoverDecision {
  const { oldPrimary } = input;
  if (input.kind !== "unplanned" && !oldPrimary?.fence) {
    return { why: `the ${input.kind === "planned" ? "leaving" : "returning"} primary did not answer FenceShard` };
  }
  const promote = (workerId: string, log: FenceAnswer, why: string) => ({ promote: workerId, why, keepState: prefixesOf(input, workerId, log) });
  if (input.kind === "returned") return promote(oldPrimary!.workerId, oldPrimary!.fence!, "the primary is back: confirmed at a new epoch");

  const eligible = input.followers
    .filter((f) => f.fence?.logEpoch === input.currentEpoch && f.state !== "syncing")
    .sort(byPreference);
  const best = eligible[0];
  const needed = input.replicaCount - writeQuorum(input.replicationFactor) + 1;
  if (input.kind === "planned") {
    const primaryLog = oldPrimary!.fence!;
    if (best && primaryLog.logEpoch === input.currentEpoch && best.fence!.lastSeq >= primaryLog.lastSeq) {
      return promote(best.workerId, best.fence!, "planned handoff to a follower holding the whole log");
    }
    if (best && eligible.length >= needed) {
      return promote(best.workerId, best.fence!, `planned handoff: ${eligible.length} current follower(s) fenced, ${needed} needed`);
    }
    return promote(oldPrimary!.workerId, primaryLog, "handoff postponed: no follower holds the whole log; the primary stays");
  }
  if (eligible.length < needed || !best) {
    return { why: `${eligible.length} in-sync follower(s) of epoch ${input.currentEpoch} fenced, ${needed} needed to see every acknowledged write` };
  }
  return promote(best.workerId, best.fence!, `failover: ${eligible.length} current follower(s) fenced, ${needed} needed`);
}

/** The replicas other than `winner` whose fenced log is a prefix of `log`. */
function prefixesOf(input: FailoverInput, winner: string, log: FenceAnswer): string[] {
  const answers = [...input.followers, ...(input.oldPrimary ? [input.oldPrimary] : [])];
  return answers
    .filter((r) => r.workerId !== winner && r.fence?.logEpoch === log.logEpoch && r.fence.lastSeq <= log.lastSeq && !r.fence.partial)
    .map((r) => r.workerId);
}

/**
 * Highest last seq first; among equal logs a whole copy before a partial one, a staying replica, then an active one (rather
 * than one offline), then the one on the least loaded worker, then by worker id.
 */
function byPreference(a: FailoverFollower, b: FailoverFollower): number {
  const [sa, sb] = [a.fence!.lastSeq, b.fence!.lastSeq];
  if (sa !== sb) return sa > sb ? -1 : 1;
  if (!!a.fence!.partial !== !!b.fence!.partial) return a.fence!.partial ? 1 : -1;
  if (a.leaving !== b.leaving) return a.leaving ? 1 : -1;
  if ((a.state === "active") !== (b.state === "active")) return a.state === "active" ? -1 : 1;
  if (a.workerLoad !== b.workerLoad) return a.workerLoad - b.workerLoad;
  return a.workerId < b.workerId ? -1 : a.workerId > b.workerId ? 1 : 0;
}
