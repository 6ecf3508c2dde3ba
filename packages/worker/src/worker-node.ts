import { availableParallelism } from "node:os";
import type { Client } from "@connectrpc/connect";
import type { PlacementService } from "@vectron/proto/placement/v1";
import type { WorkerService } from "@vectron/proto/worker/v1";
import { ReplicationEngine } from "./replication-engine";
import type { ShardOps } from "./shard-ops";
import { removeShardCopies } from "./shard-copy";
import { ShardHost } from "./shard-host";
import { ShardRegistry } from "./shard-registry";
import { ShardThreadPool } from "./shard-thread-pool";
import { WorkerMembership } from "./worker-membership";
import { SnapshotStreamLimit } from "./snapshot-stream-limit";
import { createWorkerService, type WorkerApi } from "./worker-service";

export interface WorkerNodeOptions {
  dataDir: string;
  /** This worker's id as placement knows it (stable across restarts). */
  workerId: string;
  /**
   * Base URL of this worker's HTTP port (Connect), registered with placement for other
   * workers to reach it; a function when the port is known only once the server listens.
   */
  address: string | (() => string);
  /**
   * Placement: roles, membership and in-sync reports. Without it the worker joins no
   * cluster (join() refuses) and its shards take roles only through
   * `replication.applyPlacement`.
   */
  placement?: Client<typeof PlacementService>;
  /** A client of another worker by its address; needed as soon as a shard has followers. */
  workerClient?: (address: string) => Client<typeof WorkerService>;
  /** The shard threads' entry module (a compiled binary passes its embedded one); see ShardThreadPoolOptions. */
  shardThreadEntry?: string;
  /** Longest wait for a write quorum before answering UNAVAILABLE. Default 10 s. */
  writeQuorumTimeoutMs?: number;
  /** Most changes per Replicate page (default 512), and about this many bytes (default 4 MiB). */
  maxChangesPerReplicate?: number;
  maxBytesPerReplicate?: number;
  /** How often changed indexes are saved, so a restart catches up from few rows. */
  indexSaveIntervalMs?: number;
  /** Concurrent writes to a shard share one transaction. Default true. */
  groupCommit?: boolean;
  /**
   * Shard threads; default one per core. 0 keeps the shards on the calling thread:
   * lowest latency for one request at a time, but index work then blocks that thread.
   */
  shardThreads?: number;
  /**
   * Most SnapshotShard streams at once (default 2), each holding a whole copy of a shard
   * on the data disk; one per shard at most whatever this is.
   */
  maxSnapshotStreams?: number;
  log?: (message: string) => void;
}

export interface WorkerNode {
  readonly service: WorkerApi;
  readonly shards: ShardOps;
  readonly replication: ReplicationEngine;
  /** Shards reopened from disk at start. */
  readonly reopenedShards: number;
  /**
   * Registers with placement, reads this worker's shards and takes up their roles, then
   * heartbeats (and re-reads them) every leaseMs/3 until close. Throws if the first
   * registration or sync fails (call again to retry).
   */
  join(): Promise<void>;
  /** Stops membership and replication, saves every changed index, closes every shard and stops the shard threads. */
  close(): Promise<void>;
}

/**
 * Starts the worker role: shard threads that reopen the shards on disk, the replication
 * engine over them, and a timer saving changed indexes (in those threads, so a save never
 * stalls request handling). Shards take no role (refuse writes and strong reads) until
 * join() or a SyncPlacement call has read placement.
 */
export async function startWorkerNode(options: WorkerNodeOptions): Promise<WorkerNode> {
  if (!options.workerId) throw new TypeError("startWorkerNode: workerId is required");
  const log = options.log ?? (() => {});
  const threads = options.shardThreads ?? availableParallelism();
  const snapshots = new SnapshotStreamLimit(options.maxSnapshotStreams);
  removeShardCopies(options.dataDir);
  const { shards, reopened } = threads === 0 ? openInThisThread(options, log) : await startThreads(options, threads, log);
  const keys = new ShardRegistry(options.dataDir).keysOnDisk();
  const replication = new ReplicationEngine({ ...options, shards, log }, keys);
  const timer = setInterval(() => {
    shards.saveAll().catch((err) => log(`index save failed: ${(err as Error).message}`));
  }, options.indexSaveIntervalMs ?? 30_000);
  timer.unref();
  let membership: WorkerMembership | undefined;
  return {
    service: createWorkerService(shards, replication, snapshots),
    shards,
    replication,
    reopenedShards: reopened,
    async join() {
      if (!options.placement) throw new TypeError("startWorkerNode: join() needs the placement option");
      membership ??= new WorkerMembership({ workerId: options.workerId, address: typeof options.address === "string" ? options.address : options.address(), placement: options.placement, replication, log });
      await membership.join();
    },
    async close() {
      clearInterval(timer);
      await membership?.close();
      await replication.close();
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
  const { pool, reopened } = await ShardThreadPool.start({
    dataDir: options.dataDir,
    groupCommit: options.groupCommit,
    threads,
    threadEntry: options.shardThreadEntry,
    log,
  });
  return { shards: pool as ShardOps, reopened };
}
