import type { PayloadFilter } from "@vectron/payload-filter";
import type { ApplyResult, Change, Hit, PayloadIndexInfo, PointInput, ReadOptions, StoredPoint } from "@vectron/shard-store";
import type { PayloadUpdate } from "./payload-update";
import { VectronError } from "@vectron/rpc-errors";
import type { ShardHostOptions } from "./shard-host";
import type { ShardCopy } from "./shard-copy";
import type { ReplicationPage, ShardOps } from "./shard-ops";
import { ShardRegistry, type ShardSpecFile } from "./shard-registry";
import { errorFromThread, type ThreadOp, type ThreadReply, type ThreadRequest } from "./thread-messages";

export interface ShardThreadPoolOptions extends ShardHostOptions {
  /** How many shard threads; each shard lives on one, chosen by a hash of its key. */
  threads: number;
  /**
   * The shard thread's entry module. Default: shard-thread.ts beside this file. A
   * `bun build --compile` binary passes where it embedded that entry point.
   */
  threadEntry?: string;
  log: (message: string) => void;
}

interface Pending {
  thread: number;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * ShardOps spread over threads: every shard belongs to one thread (by a hash of its key),
 * which opens it and runs all its index and SQLite work, so a long index build or save
 * never stalls the thread serving requests, and a second core does search work. A call
 * costs one message each way (~15 µs measured on Bun), vectors are copied once.
 */
export class ShardThreadPool implements ShardOps {
  private readonly threads: Worker[];
  private readonly pending = new Map<number, Pending>();
  private readonly outboxes: ThreadRequest[][];
  /** Why a thread died, by index: its shards answer `unavailable` from then on. */
  private readonly dead = new Map<number, string>();
  private nextId = 0;

  private constructor(private readonly options: ShardThreadPoolOptions) {
    if (!Number.isInteger(options.threads) || options.threads < 1) {
      throw new RangeError(`ShardThreadPool: threads must be a positive integer, got ${options.threads}`);
    }
    this.outboxes = Array.from({ length: options.threads }, () => []);
    this.threads = Array.from({ length: options.threads }, (_, index) => this.startThread(index));
  }

  /** Starts the threads and reopens every shard on disk in the thread it belongs to. */
  static async start(options: ShardThreadPoolOptions): Promise<{ pool: ShardThreadPool; reopened: number }> {
    const pool = new ShardThreadPool(options);
    try {
      const keys = new ShardRegistry(options.dataDir).keysOnDisk();
      const counts = await Promise.all(
        pool.threads.map((_, t) => pool.call(t, "openExisting", [keys.filter((key) => pool.threadOf(key) === t)])),
      );
      return { pool, reopened: (counts as number[]).reduce((sum, n) => sum + n, 0) };
    } catch (err) {
      // A failed start must not leave threads keeping the process alive.
      for (const thread of pool.threads) thread.terminate();
      throw err;
    }
  }

  open(key: string, spec: ShardSpecFile, indexes: PayloadIndexInfo[]) {
    return this.call(this.threadOf(key), "open", [key, spec, indexes]) as Promise<{ lastSeq: number }>;
  }
  createPayloadIndex(key: string, index: PayloadIndexInfo) {
    return this.call(this.threadOf(key), "createPayloadIndex", [key, index]) as Promise<void>;
  }
  dropPayloadIndex(key: string, indexKey: string) {
    return this.call(this.threadOf(key), "dropPayloadIndex", [key, indexKey]) as Promise<void>;
  }
  drop(key: string) {
    return this.call(this.threadOf(key), "drop", [key]) as Promise<void>;
  }
  apply(key: string, upserts: PointInput[], deletes: string[], epoch?: number) {
    return this.call(this.threadOf(key), "apply", [key, upserts, deletes, epoch]) as Promise<ApplyResult>;
  }
  updatePayloads(key: string, ids: string[], update: PayloadUpdate, epoch?: number) {
    return this.call(this.threadOf(key), "updatePayloads", [key, ids, update, epoch]) as Promise<ApplyResult>;
  }
  deleteByFilter(key: string, filter: PayloadFilter, epoch?: number) {
    return this.call(this.threadOf(key), "deleteByFilter", [key, filter, epoch]) as Promise<ApplyResult>;
  }
  setWriteEpoch(key: string, epoch: number | null) {
    return this.call(this.threadOf(key), "setWriteEpoch", [key, epoch]) as Promise<void>;
  }
  replicationPage(key: string, afterSeq: number | null, maxChanges: number, maxBytes: number) {
    return this.call(this.threadOf(key), "replicationPage", [key, afterSeq, maxChanges, maxBytes]) as Promise<ReplicationPage>;
  }
  applyChanges(key: string, afterSeq: number, changes: Change[], throughSeq: number) {
    return this.call(this.threadOf(key), "applyChanges", [key, afterSeq, changes, throughSeq]) as Promise<{ applied: boolean; lastSeq: number }>;
  }
  clear(key: string) {
    return this.call(this.threadOf(key), "clear", [key]) as Promise<void>;
  }
  status(key: string) {
    return this.call(this.threadOf(key), "status", [key]) as Promise<{ lastSeq: number; count: number }>;
  }
  digest(key: string) {
    return this.call(this.threadOf(key), "digest", [key]) as Promise<string>;
  }
  copy(key: string) {
    return this.call(this.threadOf(key), "copy", [key]) as Promise<ShardCopy>;
  }
  get(key: string, ids: string[], options: ReadOptions) {
    return this.call(this.threadOf(key), "get", [key, ids, options]) as Promise<StoredPoint[]>;
  }
  search(key: string, query: Float32Array, k: number, options: ReadOptions, ef: number, filter?: PayloadFilter) {
    return this.call(this.threadOf(key), "search", [key, query, k, options, ef, filter]) as Promise<Hit[]>;
  }
  searchBatch(key: string, queries: Float32Array, k: number, options: ReadOptions, ef: number) {
    return this.call(this.threadOf(key), "searchBatch", [key, queries, k, options, ef]) as Promise<Hit[][]>;
  }
  count(key: string, filter?: PayloadFilter) {
    return this.call(this.threadOf(key), "count", [key, filter]) as Promise<number>;
  }
  scroll(key: string, afterId: string, limit: number, options: ReadOptions, filter?: PayloadFilter) {
    return this.call(this.threadOf(key), "scroll", [key, afterId, limit, options, filter]) as Promise<StoredPoint[]>;
  }
  async saveAll() {
    await Promise.all(this.threads.map((_, t) => this.call(t, "saveAll", [])));
  }
  async closeAll() {
    try {
      await Promise.all(this.threads.map((_, t) => this.call(t, "closeAll", [])));
    } finally {
      for (const thread of this.threads) thread.terminate();
    }
  }

  /** The thread holding a shard: stable for the life of the process. */
  private threadOf(key: string): number {
    return this.threads.length === 1 ? 0 : Number(Bun.hash(key) % BigInt(this.threads.length));
  }

  private startThread(index: number): Worker {
    const thread = new Worker(this.options.threadEntry ?? new URL("./shard-thread.ts", import.meta.url).href);
    thread.postMessage({ init: { dataDir: this.options.dataDir, groupCommit: this.options.groupCommit } });
    thread.onmessage = (event: MessageEvent<ThreadReply>) => {
      const reply = event.data;
      if ("log" in reply) return this.options.log(reply.log);
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if ("error" in reply) waiting.reject(errorFromThread(reply.error));
      else waiting.resolve(reply.value);
    };
    thread.onerror = (event) => {
      // A thread that dies takes its shards with it; fail loudly rather than hang callers.
      this.options.log(`shard thread crashed: ${event.message}`);
      this.dead.set(index, event.message);
      for (const [id, waiting] of this.pending) {
        if (waiting.thread !== index) continue;
        this.pending.delete(id);
        waiting.reject(new Error(`shard thread crashed: ${event.message}`));
      }
    };
    return thread;
  }

  /**
   * Queues a call for its thread. Calls made in the same turn of the event loop go over
   * in one message and start in one task of the thread, so concurrent writes to a shard
   * still meet in its group-commit queue, and a burst costs one message, not one each.
   */
  private call(thread: number, op: ThreadOp, args: unknown[]): Promise<unknown> {
    const id = this.nextId++;
    const died = this.dead.get(thread);
    if (died !== undefined) {
      return Promise.reject(new VectronError("unavailable", `the thread holding this shard stopped (${died}); restart the worker`));
    }
    return new Promise((resolve, reject) => {
      this.pending.set(id, { thread, resolve, reject });
      const outbox = this.outboxes[thread]!;
      outbox.push({ id, op, args });
      if (outbox.length === 1) queueMicrotask(() => this.flush(thread));
    });
  }

  private flush(thread: number): void {
    const batch = this.outboxes[thread]!.splice(0);
    if (batch.length) this.threads[thread]!.postMessage({ batch });
  }
}
