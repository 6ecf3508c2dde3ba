import type { PayloadFilter } from "@vectron/payload-filter";
import { ShardStoreError, type PayloadIndexInfo, type PointInput, type ShardStore } from "@vectron/shard-store";
import { invalidArgument } from "@vectron/rpc-errors";
import { updatedPoints, type PayloadUpdate } from "./payload-update";
import { ShardRegistry } from "./shard-registry";
import type { ShardOps } from "./shard-ops";
import { createShardWriteQueue, type ShardWriteQueue } from "./shard-write-queue";

export interface ShardHostOptions {
  dataDir: string;
  /** Merge concurrent writes to a shard into one transaction. Default true. */
  groupCommit?: boolean;
}

/** ShardOps over the shards this thread holds open. */
export class ShardHost implements ShardOps {
  readonly registry: ShardRegistry;
  private readonly groupCommit: boolean;
  // One group-commit queue per open store object (not per key): a dropped and recreated
  // shard gets a fresh queue, and the old one goes away with its store.
  private readonly writeQueues = new WeakMap<ShardStore, ShardWriteQueue>();

  constructor(options: ShardHostOptions) {
    this.registry = new ShardRegistry(options.dataDir);
    this.groupCommit = options.groupCommit ?? true;
  }

  async open(key: string, spec: { dimension: number; metric: ShardStore["metric"] }, indexes: PayloadIndexInfo[]) {
    const store = this.registry.ensure(key, spec);
    const present = new Map(store.payloadIndexes().map((index) => [index.key, index.kind]));
    for (const index of indexes) {
      if (present.get(index.key) !== index.kind) this.#createIndex(store, index);
    }
    return { lastSeq: store.lastSeq() };
  }

  async createPayloadIndex(key: string, index: PayloadIndexInfo) {
    this.#createIndex(this.registry.get(key), index);
  }

  async dropPayloadIndex(key: string, indexKey: string) {
    this.registry.get(key).dropPayloadIndex(indexKey);
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

  async apply(key: string, upserts: Parameters<ShardStore["apply"]>[0], deletes: string[]) {
    const store = this.registry.get(key);
    upserts.forEach((point, i) => {
      if (point.vector.length !== store.dimension) {
        throw invalidArgument(`upserts[${i}].vector`, `has ${point.vector.length} dimensions, the shard has ${store.dimension}`);
      }
    });
    if (!this.groupCommit) return store.apply(upserts, deletes);
    // Concurrent writes to the shard share one transaction; settles once committed.
    return this.#queueOf(store).apply(upserts, deletes);
  }

  async updatePayloads(key: string, ids: string[], update: PayloadUpdate) {
    const store = this.registry.get(key);
    return this.#applyComputed(store, () => ({
      upserts: updatedPoints(store.get(ids, { payload: true, vector: true }), update),
      deletes: [],
    }));
  }

  async deleteByFilter(key: string, filter: PayloadFilter) {
    const store = this.registry.get(key);
    return this.#applyComputed(store, () => ({
      upserts: [],
      deletes: store.scroll("", Number.MAX_SAFE_INTEGER, { payload: false, vector: false }, filter).map((p) => p.id),
    }));
  }

  /** A read-modify-write at its turn among the shard's writes (see ShardWriteQueue.applyComputed). */
  #applyComputed(store: ShardStore, compute: () => { upserts: PointInput[]; deletes: string[] }) {
    if (!this.groupCommit) {
      const write = compute();
      return store.apply(write.upserts, write.deletes);
    }
    return this.#queueOf(store).applyComputed(compute);
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
