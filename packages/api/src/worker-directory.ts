import type { Client } from "@connectrpc/connect";
import type { WorkerService } from "@vectron/proto/worker/v1";

export type WorkerClient = Client<typeof WorkerService>;

/** A replica as the shard map names it: the worker's id and its address (HTTP base URL). */
export interface WorkerRef {
  workerId: string;
  address: string;
}

/**
 * Resolves a worker of the shard map to a client: the worker in this process (if this
 * node has the worker role) is called in-process; any other through `connect(address)`,
 * one client per address, kept for reuse (keep-alive connections).
 */
export class WorkerDirectory {
  private readonly local = new Map<string, WorkerClient>();
  private readonly remote = new Map<string, WorkerClient>();

  constructor(private readonly connect: (address: string) => WorkerClient) {}

  /** Registers the worker running in this process. */
  setLocal(workerId: string, client: WorkerClient): void {
    this.local.set(workerId, client);
  }

  /** True when the worker runs in this process. */
  isLocal(workerId: string): boolean {
    return this.local.has(workerId);
  }

  /** The client of a worker of the shard map. */
  clientOf(worker: WorkerRef): WorkerClient {
    const local = this.local.get(worker.workerId);
    if (local) return local;
    let client = this.remote.get(worker.address);
    if (!client) this.remote.set(worker.address, (client = this.connect(worker.address)));
    return client;
  }
}
