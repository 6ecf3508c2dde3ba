import type { CollectionCache, PlacementClient } from "./collection-cache";
import type { Plans } from "@vectron/quotas";
import type { Limits } from "./limits";
import type { WorkerDirectory } from "./worker-directory";

/** What the public API's use cases work with; built once per node and passed in. */
export interface ApiDeps {
  placement: PlacementClient;
  collections: CollectionCache;
  workers: WorkerDirectory;
  limits: Limits;
  /** What each plan allows a user: collections, points, request rate (README, "Plans and quotas"). */
  plans: Plans;
  /** How long a data call keeps retrying while a shard's primary moves (failover), in ms. */
  routing: { retryMs: number };
  log: (message: string, cause?: unknown) => void;
}
