import { isLive, type ClusterSnapshot, type ShardView } from "./cluster-snapshot";
import type { FailoverKind } from "./decide-failover";

export interface FailoverTrigger {
  shard: ShardView;
  kind: FailoverKind;
}

/**
 * The shards whose primary must change or be re-confirmed at a new epoch: its worker's
 * lease expired (unplanned); it is live again after the loop marked it offline
 * (returned); or it is leaving and an active, staying follower on a live worker can take
 * over (planned handoff: active followers count as in sync, fencing checks the rest).
 */
export function failoverTriggers(snapshot: ClusterSnapshot): FailoverTrigger[] {
  const triggers: FailoverTrigger[] = [];
  for (const shard of snapshot.shards) {
    const primary = shard.replicas.find((r) => r.role === "primary");
    if (!primary || !isLive(snapshot, primary)) {
      triggers.push({ shard, kind: "unplanned" });
    } else if (primary.state === "offline") {
      triggers.push({ shard, kind: "returned" });
    } else if (primary.leaving) {
      const successor = shard.replicas.some((r) => r.role === "follower" && !r.leaving && r.state === "active" && isLive(snapshot, r));
      if (successor) triggers.push({ shard, kind: "planned" });
    }
  }
  return triggers;
}
