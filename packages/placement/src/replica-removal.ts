import type { ReplicaRole, ReplicaState } from "@vectron/db";

/** What deciding which replicas of a shard to remove looks at. */
export interface RemovableReplica {
  workerId: string;
  role: ReplicaRole;
  state: ReplicaState;
  leaving: boolean;
  /** Its worker's lease has not expired. */
  workerLive: boolean;
}

/**
 * Which replicas to remove from a shard that has more than `replicationFactor`: leaving
 * ones first, then those on workers whose lease has expired, then offline ones (ties by
 * worker id). Never the primary, never an active replica that is staying, and never one
 * whose removal would leave fewer than `replicationFactor` in-sync replicas (active, on a
 * live worker): a replica is only given up once enough others hold the whole log.
 */
export function chooseReplicasToRemove(replicas: readonly RemovableReplica[], replicationFactor: number): string[] {
  const remaining = [...replicas];
  const removed: string[] = [];
  while (remaining.length > replicationFactor) {
    const victim = removalOrder(remaining).find((candidate) => inSyncWithout(remaining, candidate) >= replicationFactor);
    if (!victim) break;
    removed.push(victim.workerId);
    remaining.splice(remaining.indexOf(victim), 1);
  }
  return removed;
}

function removalRank(replica: RemovableReplica): number | undefined {
  if (replica.role === "primary") return undefined;
  if (replica.leaving) return 0;
  if (!replica.workerLive) return 1;
  if (replica.state === "offline") return 2;
  return undefined;
}

function removalOrder(replicas: RemovableReplica[]): RemovableReplica[] {
  return replicas
    .filter((replica) => removalRank(replica) !== undefined)
    .sort((a, b) => removalRank(a)! - removalRank(b)! || (a.workerId < b.workerId ? -1 : 1));
}

function inSyncWithout(replicas: RemovableReplica[], excluded: RemovableReplica): number {
  return replicas.filter((replica) => replica !== excluded && replica.state === "active" && replica.workerLive).length;
}
