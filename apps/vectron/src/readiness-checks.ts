import type { Client } from "@connectrpc/connect";
import { pingDatabase, type Db } from "@vectron/db";
import type { PlacementService } from "@vectron/proto/placement/v1";
import type { ReadinessChecks } from "@vectron/server";
import type { WorkerNode } from "@vectron/worker";

/** What this node's roles depend on; absent parts are not checked. */
export interface ReadinessDeps {
  /** Accounts, placement records, the api's lookups (auth, placement and api roles). */
  db?: Db;
  /** The worker role: registered with placement, lease held, roles read. */
  worker?: WorkerNode;
  /** A remote placement service (an api node without the placement role). */
  remotePlacement?: Client<typeof PlacementService>;
}

/** Each check gets this long before it counts as failed: a probe must answer fast. */
const CHECK_TIMEOUT_MS = 2000;

/**
 * The checks behind /readyz, run at each probe: the database answers a query, the worker
 * holds its lease with placement (so it is registered and heartbeats get through) and is
 * not waiting to re-read its roles, and a remote placement answers.
 */
export function readinessChecks(deps: ReadinessDeps): () => Promise<ReadinessChecks> {
  return async () => {
    const checks: Record<string, Promise<string | undefined>> = {};
    const { db, worker, remotePlacement } = deps;
    if (db) checks.database = failureOf(pingDatabase(db), "database unreachable");
    if (worker) checks.worker = Promise.resolve(workerProblem(worker));
    if (remotePlacement) checks.placement = failureOf(remotePlacement.getPlacementStatus({}, { timeoutMs: CHECK_TIMEOUT_MS }), "placement unreachable");
    const names = Object.keys(checks);
    const results = await Promise.all(Object.values(checks));
    return Object.fromEntries(names.map((name, i) => [name, results[i]]));
  };
}

function workerProblem(worker: WorkerNode): string | undefined {
  if (!worker.replication.leaseHeld) return "no lease with placement (not registered yet, or heartbeats are failing)";
  if (worker.replication.suspended) return "re-reading its shards' roles from placement";
  return undefined;
}

/** undefined once `work` resolves in time; else what failed (the error's message, not its stack). */
async function failureOf(work: Promise<unknown>, what: string): Promise<string | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`${what}: no answer within ${CHECK_TIMEOUT_MS} ms`), CHECK_TIMEOUT_MS)));
  try {
    return await Promise.race([work.then(() => undefined, (err: unknown) => `${what}: ${(err as Error)?.message ?? String(err)}`), late]);
  } finally {
    clearTimeout(timer);
  }
}
