import type { Client } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import type { PlacementService } from "@vectron/proto/placement/v1";
import { VectronError } from "@vectron/rpc-errors";
import type { ReplicationEngine } from "./replication-engine";

export interface WorkerMembershipOptions {
  workerId: string;
  /** Base URL of this worker's HTTP port (Connect), as other workers reach it. */
  address: string;
  placement: Client<typeof PlacementService>;
  replication: ReplicationEngine;
  /** Monotonic milliseconds, the same clock as the engine's. Default performance.now. */
  now?: () => number;
  log?: (message: string) => void;
}

/** Lease time not relied on: the worker stops trusting its lease this long before placement would. */
const LEASE_MARGIN_MS = 1000;
/** Heartbeat interval before placement has told the lease length. */
const RETRY_MS = 1000;

/**
 * A worker's membership: registers with placement, then heartbeats every leaseMs/3 and
 * re-reads its shards (syncPlacement) after registering and after every heartbeat, so
 * roles converge even when a SyncPlacement push is missed. The lease is trusted until
 * (when the successful heartbeat was sent) + leaseMs - 1 s. A fresh registration or a
 * heartbeat answering lease_lapsed suspends every primary until the next sync completes:
 * placement may have moved them meanwhile.
 */
export class WorkerMembership {
  readonly #options: WorkerMembershipOptions;
  readonly #now: () => number;
  readonly #log: (message: string) => void;
  #registered = false;
  #leaseMs = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  #beating: Promise<void> | undefined;

  constructor(options: WorkerMembershipOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    this.#log = options.log ?? (() => {});
  }

  /** Registers and syncs once (throws if either fails), then keeps heartbeating until close. */
  async join(): Promise<void> {
    await this.#register();
    await this.#options.replication.syncPlacement();
    this.#schedule();
  }

  /** Stops heartbeating; waits for a heartbeat in flight. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#beating;
  }

  async #register(): Promise<void> {
    const { workerId, address, placement, replication } = this.#options;
    // Registration is a fresh start: whatever this worker was primary of may have moved.
    replication.suspendPrimaries();
    const sentAt = this.#now();
    const { leaseMs } = await placement.registerWorker({ workerId, address });
    this.#renewed(sentAt, leaseMs);
    this.#registered = true;
  }

  #renewed(sentAt: number, leaseMs: number): void {
    this.#leaseMs = leaseMs;
    this.#options.replication.noteLease(sentAt + leaseMs - LEASE_MARGIN_MS, leaseMs);
  }

  #schedule(): void {
    if (this.#closed) return;
    const interval = this.#leaseMs > 0 ? Math.max(10, Math.floor(this.#leaseMs / 3)) : RETRY_MS;
    this.#timer = setTimeout(() => {
      this.#beating = this.#beat().finally(() => {
        this.#beating = undefined;
        this.#schedule();
      });
    }, interval);
  }

  async #beat(): Promise<void> {
    const { workerId, placement, replication } = this.#options;
    try {
      if (!this.#registered) {
        await this.#register();
      } else {
        const sentAt = this.#now();
        const response = await placement.heartbeat({ workerId });
        if (response.leaseLapsed) {
          this.#log(`worker ${workerId}: lease had lapsed; primaries suspended until placement is re-read`);
          replication.suspendPrimaries();
        }
        this.#renewed(sentAt, response.leaseMs);
      }
      if (this.#closed) return;
      await replication.syncPlacement();
    } catch (err) {
      if (isNotFound(err) && this.#registered) {
        this.#log(`worker ${workerId}: placement does not know this worker; registering again`);
        this.#registered = false;
        return this.#beat();
      }
      this.#log(`worker ${workerId}: heartbeat or placement sync failed: ${(err as Error).message}`);
    }
  }
}

function isNotFound(err: unknown): boolean {
  if (err instanceof VectronError) return err.code === "not_found";
  return err instanceof ConnectError && err.code === Code.NotFound;
}
