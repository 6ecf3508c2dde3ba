import type { PlacementDeps } from "./placement-deps";

/** How long placement waits for a worker to answer one call. */
export const WORKER_CALL_TIMEOUT_MS = 1500;

/**
 * Asks the workers at these addresses to re-read their shards now (SyncPlacement). Best
 * effort: a worker that misses it catches up at its next sync, so failures are only
 * logged. Resolves once every call has answered or failed.
 */
export async function syncPlacementOn(
  deps: Pick<PlacementDeps, "workerClient" | "log">,
  addresses: Iterable<string>,
): Promise<void> {
  const { workerClient, log } = deps;
  if (!workerClient) return;
  await Promise.all(
    [...new Set(addresses)].map((address) =>
      // Inside then(): a factory that throws counts as a failed call, not a failed tick.
      Promise.resolve()
        .then(() => workerClient(address).syncPlacement({}, { timeoutMs: WORKER_CALL_TIMEOUT_MS }))
        .catch((cause) => log?.(`SyncPlacement on ${address} failed`, cause)),
    ),
  );
}
