import type { CollectionCache, PlacementClient } from "./collection-cache";
import type { Limits } from "./limits";
import type { WorkerDirectory } from "./worker-directory";

/** What the public API's use cases work with; built once per node and passed in. */
export interface ApiDeps {
  placement: PlacementClient;
  collections: CollectionCache;
  workers: WorkerDirectory;
  limits: Limits;
  /** How long a data call keeps retrying while a shard's primary moves (failover), in ms. */
  routing: { retryMs: number };
  log: (message: string, cause?: unknown) => void;
}
