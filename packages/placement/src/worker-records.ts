import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { asc, count, eq, getTableColumns } from "drizzle-orm";
import { shardReplicas, workers, type Db } from "@vectron/db";
import { WorkerSchema, type Worker } from "@vectron/proto/placement/v1";

/**
 * Workers with the number of replicas placed on each, as Worker messages (the one place
 * a worker row becomes one): every worker, or the one with `workerId`.
 */
export async function loadWorkers(db: Db, now: Date, workerId?: string): Promise<Worker[]> {
  const query = db
    .select({ ...getTableColumns(workers), replicaCount: count(shardReplicas.workerId) })
    .from(workers)
    .leftJoin(shardReplicas, eq(shardReplicas.workerId, workers.id))
    .groupBy(workers.id)
    .orderBy(asc(workers.id));
  const rows = await (workerId === undefined ? query : query.where(eq(workers.id, workerId)));
  return rows.map((row) =>
    create(WorkerSchema, {
      id: row.id,
      address: row.address,
      leaseExpiresAt: timestampFromDate(row.leaseExpiresAt),
      live: row.leaseExpiresAt > now,
      draining: row.draining,
      replicaCount: row.replicaCount,
    }),
  );
}
