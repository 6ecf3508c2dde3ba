import { rmSync, statSync } from "node:fs";
import type { PayloadFilter } from "@vectron/payload-filter";
import { ShardStoreError, type Change, type PayloadIndexInfo, type PointInput, type ShardStore } from "@vectron/shard-store";
import { invalidArgument, VectronError } from "@vectron/rpc-errors";
import { diskFullForClient } from "./disk-full-error";
import { updatedPoints, type PayloadUpdate } from "./payload-update";
import { newShardCopyPath, type ShardCopy } from "./shard-copy";
import { readReplicationPage } from "./replication-page";
import { ShardRegistry } from "./shard-registry";
import type { ReplicationPage, ShardOps } from "./shard-ops";
import { createShardWriteQueue, type Admission, type ShardWriteQueue } from "./shard-write-queue";

export interface ShardHostOptions {
  dataDir: string;
  /** Merge concurrent writes to a shard into one transaction. Default true. */
  groupCommit?: boolean;
  /**
   * Compact a shard's index (rebuild it from the live rows, in the background) once this
   * share of its entries are leftovers of updated or deleted points. Default 0.3.
   */
  compactAt?: number;
  log?: (message: string) => void;
}

/** Most points one transaction of a delete by filter removes. */
const DELETE_CHUNK = 10_000;
/** Shards smaller than this are never compacted: their leftovers cost nothing. */
const MIN_COMPACTION_POINTS = 1000;
/** Rows copied per step of a compaction; other calls run between steps. */
const COMPACTION_STEP_ROWS = 2000;

/** ShardOps over the shards this thread holds open. */
export class ShardHost implements ShardOps {
  readonly registry: ShardRegistry;
  private readonly dataDir: string;
  private readonly groupCommit: boolean;
  // One group-commit queue per open store object (not per key): a dropped and recreated
  // shard gets a fresh queue, and the old one goes away with its store.
  private readonly writeQueues = new WeakMap<ShardStore, ShardWriteQueue>();

  private readonly compactAt: number;
  private readonly log: (message: string) => void;
  private readonly compacting = new WeakSet<ShardStore>();
  /** The epoch whose writes each store accepts (see setWriteEpoch); absent: none. */
  private readonly writeEpochs = new WeakMap<ShardStore, number>();

  constructor(options: ShardHostOptions) {
    this.registry = new ShardRegistry(options.dataDir);
    this.dataDir = options.dataDir;
    this.groupCommit = options.groupCommit ?? true;
    this.compactAt = options.compactAt ?? 0.3;
    this.log = options.log ?? (() => {});
  }

  open(key: string, spec: { dimension: number; metric: ShardStore["metric"] }, indexes: PayloadIndexInfo[]) {
    return this.#storing(key, async () => this.#open(key, spec, indexes));
  }

  #open(key: string, spec: { dimension: number; metric: ShardStore["metric"] }, indexes: PayloadIndexInfo[]) {
    const store = this.registry.ensure(key, spec);
    // Placement's list is the truth: create what is missing, drop what it no longer has
    // (a DeletePayloadIndex this replica missed).
    const present = new Map(store.payloadIndexes().map((index) => [index.key, index.kind]));
    for (const index of indexes) {
      if (present.get(index.key) !== index.kind) this.#createIndex(store, index);
    }
    const wanted = new Set(indexes.map((index) => index.key));
    for (const key of present.keys()) if (!wanted.has(key)) store.dropPayloadIndex(key);
    return { lastSeq: store.lastSeq() };
  }

  createPayloadIndex(key: string, index: PayloadIndexInfo) {
    return this.#storing(key, async () => this.#createIndex(this.registry.get(key), index));
  }

  dropPayloadIndex(key: string, indexKey: string) {
    return this.#storing(key, async () => void this.registry.get(key).dropPayloadIndex(indexKey));
  }

  /** Runs a write to the shard's storage; a full disk becomes resource_exhausted (diskFullForClient). */
  async #storing<T>(key: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      throw diskFullForClient(key, error);
    }
  }

  /** Builds an index from the rows; a bad key or kind is the client's error. */
  #createIndex(store: ShardStore, index: PayloadIndexInfo): void {
    try {
      store.createPayloadIndex(index.key, index.kind);
    } catch (err) {
      if (err instanceof ShardStoreError && (err.code === "ERR_INVALID_PAYLOAD_INDEX" || err.code === "ERR_PAYLOAD_INDEX_LIMIT")) {
        throw invalidArgument("index", err.message);
      }
      throw err;
    }
  }

  async drop(key: string) {
    this.registry.drop(key);
  }

  apply(key: string, upserts: Parameters<ShardStore["apply"]>[0], deletes: string[], epoch?: number) {
    return this.#storing(key, () => this.#apply(key, upserts, deletes, epoch));
  }

  async #apply(key: string, upserts: Parameters<ShardStore["apply"]>[0], deletes: string[], epoch?: number) {
    const store = this.registry.get(key);
    upserts.forEach((point, i) => {
      if (point.vector.length !== store.dimension) {
        throw invalidArgument(`upserts[${i}].vector`, `has ${point.vector.length} dimensions, the shard has ${store.dimension}`);
      }
    });
    const admit = this.#admission(key, store, epoch);
    let result;
    if (this.groupCommit) {
      // Concurrent writes to the shard share one transaction; settles once committed.
      result = await this.#queueOf(store).apply(upserts, deletes, admit);
    } else {
      admit?.();
      result = store.apply(upserts, deletes);
    }
    this.#compactIfWorthIt(key, store);
    return result;
  }

  async setWriteEpoch(key: string, epoch: number | null) {
    const store = this.registry.get(key);
    if (epoch === null) this.writeEpochs.delete(store);
    else this.writeEpochs.set(store, epoch);
  }

  /** The check a write of `epoch` passes at its turn; none when the caller gave no epoch. */
  #admission(key: string, store: ShardStore, epoch: number | undefined): Admission | undefined {
    if (epoch === undefined) return undefined;
    return () => {
      const open = this.writeEpochs.get(store);
      if (open !== epoch) {
        throw new VectronError(
          "failed_precondition",
          `shard ${key}: stale epoch: this replica ${open === undefined ? "is not a primary" : `is the primary of epoch ${open}`}, the write carries epoch ${epoch}`,
        );
      }
    };
  }

  async replicationPage(key: string, afterSeq: number | null, maxChanges: number, maxBytes: number): Promise<ReplicationPage> {
    return readReplicationPage(this.registry.get(key), afterSeq, maxChanges, maxBytes);
  }

  applyChanges(key: string, afterSeq: number, changes: Change[], throughSeq: number) {
    return this.#storing(key, () => this.#applyChanges(key, afterSeq, changes, throughSeq));
  }

  async #applyChanges(key: string, afterSeq: number, changes: Change[], throughSeq: number) {
    const store = this.registry.get(key);
    const result = await this.#exclusive(store, () => {
      if (store.lastSeq() !== afterSeq) return { applied: false, lastSeq: store.lastSeq() };
      try {
        return { applied: true, lastSeq: store.applyChanges(changes, throughSeq).lastSeq };
      } catch (err) {
        if (err instanceof ShardStoreError && err.code === "ERR_INVALID_CHANGES") throw invalidArgument("changes", err.message);
        throw err;
      }
    });
    this.#compactIfWorthIt(key, store);
    return result;
  }

  clear(key: string) {
    return this.#storing(key, async () => {
      const store = this.registry.get(key);
      await this.#exclusive(store, () => store.clear());
    });
  }

  async status(key: string) {
    const store = this.registry.get(key);
    return { lastSeq: store.lastSeq(), count: store.count() };
  }

  async digest(key: string) {
    return this.registry.get(key).digest();
  }

  copy(key: string): Promise<ShardCopy> {
    return this.#storing(key, async () => {
      const store = this.registry.get(key);
      const path = newShardCopyPath(this.dataDir, key);
      try {
        const { lastSeq, count } = await this.#exclusive(store, () => store.copyTo(path));
        return { path, bytes: statSync(path).size, lastSeq, count };
      } catch (err) {
        rmSync(path, { force: true });
        throw err;
      }
    });
  }

  /** `run` at its turn among the shard's writes, alone. */
  #exclusive<T>(store: ShardStore, run: () => T): Promise<T> {
    return this.groupCommit ? this.#queueOf(store).exclusive(run) : Promise.resolve().then(run);
  }

  /**
   * Starts a background compaction when the shard's index carries enough leftovers of
   * updated and deleted points: a fresh index is built a chunk per turn of the event
   * loop, so searches and writes go on meanwhile (on the old index), then swapped in.
   */
  #compactIfWorthIt(key: string, store: ShardStore): void {
    if (this.compacting.has(store) || store.count() < MIN_COMPACTION_POINTS || store.deletedFraction() < this.compactAt) return;
    this.compacting.add(store);
    const started = performance.now();
    const fraction = store.deletedFraction();
    void (async () => {
      let rebuild: ReturnType<ShardStore["startIndexRebuild"]> | undefined;
      try {
        rebuild = store.startIndexRebuild();
        while (!rebuild.step(COMPACTION_STEP_ROWS)) await new Promise((resolve) => setImmediate(resolve));
        rebuild.finish();
        rebuild = undefined;
        this.log(`shard ${key}: compacted its index (${(fraction * 100).toFixed(0)}% leftovers) in ${Math.round(performance.now() - started)} ms`);
      } catch (err) {
        // A shard closed or dropped meanwhile; anything else is logged, the old index stays.
        rebuild?.abandon();
        this.log(`shard ${key}: compaction stopped: ${(err as Error).message}`);
      } finally {
        this.compacting.delete(store);
      }
    })();
  }

  updatePayloads(key: string, ids: string[], update: PayloadUpdate, epoch?: number) {
    return this.#storing(key, () => this.#updatePayloads(key, ids, update, epoch));
  }

  async #updatePayloads(key: string, ids: string[], update: PayloadUpdate, epoch?: number) {
    const store = this.registry.get(key);
    const admit = this.#admission(key, store, epoch);
    const result = await this.#applyComputed(store, admit, () => ({
      upserts: updatedPoints(store.get(ids, { payload: true, vector: true }), update),
      deletes: [],
    }));
    this.#compactIfWorthIt(key, store);
    return result;
  }

  deleteByFilter(key: string, filter: PayloadFilter, epoch?: number) {
    return this.#storing(key, () => this.#deleteByFilter(key, filter, epoch));
  }

  async #deleteByFilter(key: string, filter: PayloadFilter, epoch?: number) {
    const store = this.registry.get(key);
    const admit = this.#admission(key, store, epoch);
    // In transactions of at most DELETE_CHUNK points, each at its turn among the shard's
    // writes, so a filter matching millions neither holds the thread nor memory at once.
    const total = { lastSeq: store.lastSeq(), upserted: 0, deleted: 0 };
    for (;;) {
      const result = await this.#applyComputed(store, admit, () => ({
        upserts: [],
        deletes: store.scroll("", DELETE_CHUNK, { payload: false, vector: false }, filter).map((p) => p.id),
      }));
      total.lastSeq = result.lastSeq;
      total.deleted += result.deleted;
      if (result.deleted < DELETE_CHUNK) break;
    }
    this.#compactIfWorthIt(key, store);
    return total;
  }

  /** A read-modify-write at its turn among the shard's writes (see ShardWriteQueue.applyComputed). */
  #applyComputed(store: ShardStore, admit: Admission | undefined, compute: () => { upserts: PointInput[]; deletes: string[] }) {
    if (!this.groupCommit) {
      admit?.();
      const write = compute();
      return store.apply(write.upserts, write.deletes);
    }
    return this.#queueOf(store).applyComputed(compute, admit);
  }

  #queueOf(store: ShardStore): ShardWriteQueue {
    let queue = this.writeQueues.get(store);
    if (!queue) this.writeQueues.set(store, (queue = createShardWriteQueue(store)));
    return queue;
  }

  async get(key: string, ids: string[], options: Parameters<ShardStore["get"]>[1]) {
    return this.registry.get(key).get(ids, options);
  }

  async search(key: string, query: Float32Array, k: number, options: Parameters<ShardStore["search"]>[2], ef: number, filter?: PayloadFilter) {
    const store = this.registry.get(key);
    if (query.length !== store.dimension) {
      throw invalidArgument("vector", `has ${query.length} dimensions, the shard has ${store.dimension}`);
    }
    return store.search(query, k, options, ef, filter);
  }

  async searchBatch(key: string, flat: Float32Array, k: number, options: Parameters<ShardStore["search"]>[2], ef: number) {
    const store = this.registry.get(key);
    if (flat.length % store.dimension !== 0) {
      throw invalidArgument("queries", `hold ${flat.length} floats, not a multiple of the shard's ${store.dimension} dimensions`);
    }
    const queries: Float32Array[] = [];
    for (let at = 0; at < flat.length; at += store.dimension) queries.push(flat.subarray(at, at + store.dimension));
    return store.searchBatch(queries, k, options, ef);
  }

  async count(key: string, filter?: PayloadFilter) {
    return this.registry.get(key).count(filter);
  }

  async scroll(key: string, afterId: string, limit: number, options: Parameters<ShardStore["scroll"]>[2], filter?: PayloadFilter) {
    return this.registry.get(key).scroll(afterId, limit, options, filter);
  }

  async saveAll() {
    this.registry.saveAll();
  }

  async closeAll() {
    this.registry.closeAll();
  }
}
