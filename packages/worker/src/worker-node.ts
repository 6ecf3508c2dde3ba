import { ShardRegistry } from "./shard-registry";
import { createWorkerService, type WorkerApi } from "./worker-service";

export interface WorkerNodeOptions {
  dataDir: string;
  /** How often changed indexes are saved, so a restart catches up from few rows. */
  indexSaveIntervalMs?: number;
  /** Concurrent writes to a shard share one transaction (see WorkerServiceOptions). Default true. */
  groupCommit?: boolean;
  log?: (message: string) => void;
}

export interface WorkerNode {
  readonly service: WorkerApi;
  /** Shards reopened from disk at start. */
  readonly reopenedShards: number;
  /** Saves every changed index and closes every shard. */
  close(): void;
}

/** Starts the worker role: reopens the shards on disk and saves indexes periodically. */
export function createWorkerNode(options: WorkerNodeOptions): WorkerNode {
  const shards = new ShardRegistry(options.dataDir);
  const reopenedShards = shards.openAll(options.log ?? (() => {}));
  const timer = setInterval(() => shards.saveAll(), options.indexSaveIntervalMs ?? 30_000);
  timer.unref();
  return {
    service: createWorkerService(shards, { groupCommit: options.groupCommit }),
    reopenedShards,
    close() {
      clearInterval(timer);
      shards.closeAll();
    },
  };
}
