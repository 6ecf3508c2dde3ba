import type { Db } from "@vectron/db";
import { readPlacementGauges } from "@vectron/placement";
import { writeProcessMetrics, type PrometheusText, type RpcMetrics } from "@vectron/server";
import { readShardGauges, type WorkerNode } from "@vectron/worker";

/** What this node's /metrics reports on, by role. */
export interface NodeMetricsDeps {
  roles: ReadonlySet<string>;
  rpc: RpcMetrics;
  /** The worker role, with the data directory its shards live in. */
  worker?: { node: WorkerNode; dataDir: string };
  /** The placement role: its database and whether this process leads. */
  placement?: { db: Db; isLeading: () => boolean };
}

/**
 * Writes a node's metrics: RPCs, process memory, and per role the worker's shards and
 * replication lag or placement's view of the cluster. Shards are labelled by collection
 * id (a UUID) and shard number, never by collection or user name.
 */
export function nodeMetrics(deps: NodeMetricsDeps): (text: PrometheusText) => Promise<void> {
  return async (text) => {
    text.gauge("vectron_node_role", "1 for each role this process runs.", [...deps.roles].map((role) => [{ role }, 1]));
    deps.rpc.write(text);
    writeProcessMetrics(text);
    if (deps.worker) await writeWorkerMetrics(text, deps.worker.node, deps.worker.dataDir);
    if (deps.placement) await writePlacementMetrics(text, deps.placement.db, deps.placement.isLeading());
  };
}

async function writeWorkerMetrics(text: PrometheusText, worker: WorkerNode, dataDir: string): Promise<void> {
  const shards = await readShardGauges(dataDir, worker.shards, worker.replication);
  const shardLabels = (s: { collectionId: string; shardId: string }) => ({ collection_id: s.collectionId, shard: s.shardId });
  text.gauge("vectron_worker_lease_held", "1 while this worker's lease with placement holds.", [[{}, worker.replication.leaseHeld ? 1 : 0]]);
  text.gauge("vectron_shard_points", "Live points in the shard replica.", shards.map((s) => [shardLabels(s), s.points]));
  text.gauge(
    "vectron_shard_index_memory_bytes",
    "Estimated memory of the shard's HNSW index: points x (4 x dimension + 2 x connectivity x 4 + 16) bytes (usearch's binding does not report its own).",
    shards.map((s) => [shardLabels(s), s.indexBytes]),
  );
  text.gauge("vectron_shard_last_applied_sequence", "Sequence of the last change applied to the shard replica.", shards.map((s) => [shardLabels(s), s.lastSeq]));
  text.gauge("vectron_shard_primary", "1 when this replica acts as the shard's primary, else 0.", shards.map((s) => [shardLabels(s), s.primary ? 1 : 0]));
  text.gauge(
    "vectron_replication_lag_sequences",
    "Per follower of a primary on this worker: the primary's last sequence minus the follower's last acknowledged one.",
    shards.flatMap((s) => s.followers.filter((f) => f.lagSeq !== undefined).map((f): [Record<string, string>, number] => [{ ...shardLabels(s), follower: f.workerId }, f.lagSeq!])),
  );
}

async function writePlacementMetrics(text: PrometheusText, db: Db, leading: boolean): Promise<void> {
  text.gauge("vectron_placement_leader", "1 when this placement process leads (runs failover, re-replication, rebalancing).", [[{}, leading ? 1 : 0]]);
  const gauges = await readPlacementGauges(db, new Date()).catch(() => undefined);
  text.gauge("vectron_placement_up", "1 when placement's records could be read for these metrics.", [[{}, gauges ? 1 : 0]]);
  if (!gauges) return;
  text.gauge("vectron_placement_workers", "Registered workers by state: live (lease held), offline (lease expired), draining (either).", [
    [{ state: "live" }, gauges.workersLive],
    [{ state: "offline" }, gauges.workersOffline],
    [{ state: "draining" }, gauges.workersDraining],
  ]);
  text.gauge("vectron_placement_shards", "Shards of every collection.", [[{}, gauges.shards]]);
  text.gauge("vectron_placement_shards_without_primary", "Shards with no active primary on a live worker: their writes fail until a failover.", [[{}, gauges.shardsWithoutPrimary]]);
}
