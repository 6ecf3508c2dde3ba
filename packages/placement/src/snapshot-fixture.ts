/**
 * Builds in-memory cluster snapshots for the control loop's decision tests: a worker is
 * live unless listed as dead (for an hour) or in deadForMs.
 */
import type { ReplicaState } from "@vectron/db";
import type { ClusterSnapshot, ReplicaView, ShardView, WorkerView } from "./cluster-snapshot";

export const FIXTURE_NOW = new Date("2030-01-01T00:00:00Z");

export interface FixtureReplica {
  on: string;
  primary?: boolean;
  state?: ReplicaState;
  leaving?: boolean;
}

export function fixtureSnapshot(options: {
  workers: string[];
  dead?: string[];
  /** Workers whose lease expired this long ago. */
  deadForMs?: Record<string, number>;
  draining?: string[];
  shards: { rf: number; replicas: FixtureReplica[] }[];
}): ClusterSnapshot {
  const deadFor = (id: string) => options.deadForMs?.[id] ?? (options.dead?.includes(id) ? 3_600_000 : undefined);
  const workers = new Map(
    options.workers.map((id): [string, WorkerView] => {
      const dead = deadFor(id);
      const leaseExpiresAt = new Date(FIXTURE_NOW.getTime() + (dead === undefined ? 10_000 : -dead));
      return [id, { id, address: `http://${id}`, live: dead === undefined, leaseExpiresAt, draining: !!options.draining?.includes(id) }];
    }),
  );
  const shards: ShardView[] = options.shards.map((shard, shardId) => ({
    collectionId: "00000000-0000-4000-8000-000000000000",
    shardId,
    epoch: 1,
    replicationFactor: shard.rf,
    replicas: shard.replicas.map(
      (r): ReplicaView => ({
        workerId: r.on,
        role: r.primary ? "primary" : "follower",
        state: r.state ?? "active",
        leaving: r.leaving ?? false,
        stateSince: FIXTURE_NOW,
      }),
    ),
  }));
  return { now: FIXTURE_NOW, workers, shards };
}
