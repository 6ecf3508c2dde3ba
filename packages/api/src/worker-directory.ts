import type { Client } from "@connectrpc/connect";
import type { WorkerService } from "@vectron/proto/worker/v1";
import { VectronError } from "@vectron/rpc-errors";

export type WorkerClient = Client<typeof WorkerService>;

/**
 * Resolves a worker id from the shard map to a client. In one process the local worker
 * is an in-process client; remote workers are added as Connect clients.
 */
export class WorkerDirectory {
  private readonly clients = new Map<string, WorkerClient>();

  set(workerId: string, client: WorkerClient): void {
    this.clients.set(workerId, client);
  }

  get(workerId: string): WorkerClient {
    const client = this.clients.get(workerId);
    if (!client) throw new VectronError("unavailable", `worker ${workerId} is not reachable from this node`);
    return client;
  }
}
