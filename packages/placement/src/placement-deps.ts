import type { Client } from "@connectrpc/connect";
import type { Db } from "@vectron/db";
import type { WorkerService } from "@vectron/proto/worker/v1";

/** What GetPlacementStatus reports about this process; a started leadership is one. */
export interface LeadershipView {
  /** This placement process. */
  readonly nodeId: string;
  /** Whether it holds the leadership right now. */
  isLeading(): boolean;
}

/** Reaches a worker by the address it registered (a Connect client with the cluster secret). */
export type WorkerClientFactory = (address: string) => Client<typeof WorkerService>;

/** Where placement reports what went wrong outside a request (best-effort calls, the control loop). */
export type PlacementLog = (message: string, cause?: unknown) => void;

/** What placement's use cases work with. */
export interface PlacementDeps {
  db: Db;
  /** How long a worker stays live after its last heartbeat. */
  leaseMs: number;
  now: () => Date;
  /** For GetPlacementStatus; without it this process reports no node id and not leading. */
  leadership?: LeadershipView;
  /**
   * For telling workers to re-read their shards after ReportReplicaInSync removed a
   * replica (best effort); without it they learn at their next sync.
   */
  workerClient?: WorkerClientFactory;
  log?: PlacementLog;
}
