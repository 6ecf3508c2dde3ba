import type { Db } from "@vectron/db";

/** What placement's use cases work with. */
export interface PlacementDeps {
  db: Db;
  /** How long a worker stays live after its last heartbeat. */
  leaseMs: number;
  now: () => Date;
}
