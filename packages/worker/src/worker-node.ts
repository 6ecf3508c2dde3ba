import { availableParallelism } from "node:os";
import type { ShardOps } from "./shard-ops";
import { ShardHost } from "./shard-host";
import { ShardThreadPool } from "./shard-thread-pool";
import { createWorkerService, type WorkerApi } from "./worker-service";

export interface WorkerNodeOptions {
  dataDir: string;
  /** How often changed indexes are saved, so a restart catches up from few rows. */
  indexSaveIntervalMs?: number;
  /** Concurrent writes to a shard share one transaction. Default true. */
  groupCommit?: boolean;
  /**
   * Shard threads; default one per core. 0 keeps the shards on the calling thread:
   * lowest latency for one request at a time, but index work then blocks that thread.
   */
  shardThreads?: number;
  log?: (message: string) => void;
}

export interface WorkerNode {
  readonly service: WorkerApi;
  readonly shards: ShardOps;
  /** Shards reopened from disk at start. */
  readonly reopenedShards: number;
  /** Saves every changed index, closes every shard and stops the shard threads. */
  close(): Promise<void>;
}

/**
 * Starts the worker role: shard threads that reopen the shards on disk, and a timer
 * saving changed indexes (in those threads, so a save never stalls request handling).
 */
export async function startWorkerNode(options: WorkerNodeOptions): Promise<WorkerNode> {
  const log = options.log ?? (() => {});
  const threads = options.shardThreads ?? availableParallelism();
  const { shards, reopened } = threads === 0 ? openInThisThread(options, log) : await startThreads(options, threads, log);
  const timer = setInterval(() => {
    shards.saveAll().catch((err) => log(`index save failed: ${(err as Error).message}`));
  }, options.indexSaveIntervalMs ?? 30_000);
  timer.unref();
  return {
    service: createWorkerService(shards),
    shards,
    reopenedShards: reopened,
    async close() {
      clearInterval(timer);
      await shards.closeAll();
    },
  };
}

/** Shards on the calling thread: one hop less per call, but their work blocks that thread. */
function openInThisThread(options: WorkerNodeOptions, log: (message: string) => void): { shards: ShardOps; reopened: number } {
  const host = new ShardHost({ dataDir: options.dataDir, groupCommit: options.groupCommit, log });
  return { shards: host, reopened: host.registry.openExisting(host.registry.keysOnDisk(), log) };
}

async function startThreads(options: WorkerNodeOptions, threads: number, log: (message: string) => void) {
  const { pool, reopened } = await ShardThreadPool.start({ dataDir: options.dataDir, groupCommit: options.groupCommit, threads, log });
  return { shards: pool as ShardOps, reopened };
}
