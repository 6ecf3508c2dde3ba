import { availableParallelism } from "node:os";
import type { ShardOps } from "./shard-ops";
import { ShardThreadPool } from "./shard-thread-pool";
import { createWorkerService, type WorkerApi } from "./worker-service";

export interface WorkerNodeOptions {
  dataDir: string;
  /** How often changed indexes are saved, so a restart catches up from few rows. */
  indexSaveIntervalMs?: number;
  /** Concurrent writes to a shard share one transaction. Default true. */
  groupCommit?: boolean;
  /** Shard threads; default one per core. */
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
  const { pool, reopened } = await ShardThreadPool.start({
    dataDir: options.dataDir,
    groupCommit: options.groupCommit,
    threads: options.shardThreads ?? availableParallelism(),
    log,
  });
  const timer = setInterval(() => {
    pool.saveAll().catch((err) => log(`index save failed: ${(err as Error).message}`));
  }, options.indexSaveIntervalMs ?? 30_000);
  timer.unref();
  return {
    service: createWorkerService(pool),
    shards: pool,
    reopenedShards: reopened,
    async close() {
      clearInterval(timer);
      await pool.closeAll();
    },
  };
}
