import { sql } from "drizzle-orm";
import { executeRows, type Db } from "@vectron/db";
import { loadWorkers } from "./worker-records";

/** The cluster as placement's records show it now, for a placement node's /metrics. */
export interface PlacementGauges {
  workersLive: number;
  /** Registered workers whose lease has expired. */
  workersOffline: number;
  /** Workers an operator is draining, live or not. */
  workersDraining: number;
  shards: number;
  /** Shards with no active primary replica on a live worker: their writes fail until a failover. */
  shardsWithoutPrimary: number;
}

/** Reads the gauges in two queries (workers with their leases; shards against their primaries). */
export async function readPlacementGauges(db: Db, now: Date): Promise<PlacementGauges> {
  const workers = await loadWorkers(db, now);
  const [shards] = await executeRows<{ shards: number; without_primary: number }>(
    db,
    sql`select count(*)::int as shards,
          (count(*) filter (where not exists (
            select 1 from shard_replicas r join workers w on w.id = r.worker_id
            where r.collection_id = s.collection_id and r.shard_id = s.shard_id
              and r.role = 'primary' and r.state = 'active' and w.lease_expires_at > ${now.toISOString()}::timestamptz)))::int as without_primary
        from shards s`,
  );
  return {
    workersLive: workers.filter((w) => w.live).length,
    workersOffline: workers.filter((w) => !w.live).length,
    workersDraining: workers.filter((w) => w.draining).length,
    shards: Number(shards?.shards ?? 0),
    shardsWithoutPrimary: Number(shards?.without_primary ?? 0),
  };
}
