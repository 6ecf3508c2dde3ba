import { create, type MessageInitShape } from "@bufbuild/protobuf";
import type { ContextFreeImpl } from "@vectron/local-client";
import {
  ApplyWritesResponseSchema,
  CountPointsResponseSchema,
  DropShardResponseSchema,
  GetPointsResponseSchema,
  OpenShardResponseSchema,
  PointRecordSchema,
  ScoredRecordSchema,
  ScrollPointsResponseSchema,
  SearchShardBatchResponseSchema,
  SearchShardResponseSchema,
  type PointRecord,
  type ScoredRecord,
  type WorkerService,
} from "@vectron/proto/worker/v1";
import type { Hit, ShardStore, StoredPoint } from "@vectron/shard-store";
import { bytesToFloat32, float32ToBytes } from "@vectron/vector-bytes";
import { invalidArgument } from "@vectron/rpc-errors";
import { metricOf } from "./metric";
import { shardKey } from "./shard-key";
import type { ShardRegistry } from "./shard-registry";
import { createShardWriteQueue, type ShardWriteQueue } from "./shard-write-queue";

/**
 * The WorkerService methods. None of them reads the handler context, so the same object
 * serves remote calls (through a Connect router) and in-process calls (local-client).
 */
export type WorkerApi = ContextFreeImpl<typeof WorkerService>;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** Options of createWorkerService. */
export interface WorkerServiceOptions {
  /**
   * Merge concurrent ApplyWrites to a shard into one transaction (one fsync). Default
   * true; false applies each request in its own transaction (the baseline benchmarks
   * compare against).
   */
  groupCommit?: boolean;
}

/** Builds the worker's service implementation over its open shards. */
export function createWorkerService(shards: ShardRegistry, options: WorkerServiceOptions = {}): WorkerApi {
  const groupCommit = options.groupCommit ?? true;
  // One group-commit queue per open store object (not per key): a dropped and recreated
  // shard gets a fresh queue, and the old one goes away with its store.
  const writeQueues = new WeakMap<ShardStore, ShardWriteQueue>();
  const writeQueueOf = (store: ShardStore) => {
    let queue = writeQueues.get(store);
    if (!queue) writeQueues.set(store, (queue = createShardWriteQueue(store)));
    return queue;
  };
  return {
    async openShard(request) {
      const spec = request.spec;
      if (!spec) throw invalidArgument("spec", "is required");
      const key = shardKey(spec.shard);
      if (spec.dimension < 1) throw invalidArgument("spec.dimension", "must be at least 1");
      const store = shards.ensure(key, { dimension: spec.dimension, metric: metricOf(spec.distance) });
      return create(OpenShardResponseSchema, { lastSeq: BigInt(store.lastSeq()) });
    },

    async dropShard(request) {
      shards.drop(shardKey(request.shard));
      return create(DropShardResponseSchema);
    },

    async applyWrites(request) {
      const store = shards.get(shardKey(request.shard));
      const upserts = request.upserts.map((record, i) => {
        const vector = bytesToFloat32(record.vector);
        if (vector.length !== store.dimension) {
          throw invalidArgument(`upserts[${i}].vector`, `has ${vector.length} dimensions, the shard has ${store.dimension}`);
        }
        return { id: record.id, vector, payload: record.payload.length ? fromUtf8.decode(record.payload) : "{}" };
      });
      // Concurrent writes to the shard share one transaction; settles once committed.
      const result = groupCommit
        ? await writeQueueOf(store).apply(upserts, request.deletes)
        : store.apply(upserts, request.deletes);
      return create(ApplyWritesResponseSchema, {
        lastSeq: BigInt(result.lastSeq),
        upserted: result.upserted,
        deleted: result.deleted,
      });
    },

    async getPoints(request) {
      const store = shards.get(shardKey(request.shard));
      const points = store.get(request.ids, { payload: request.withPayload, vector: request.withVector });
      return create(GetPointsResponseSchema, { points: points.map(toRecord) });
    },

    async searchShard(request) {
      const store = shards.get(shardKey(request.shard));
      const query = bytesToFloat32(request.vector);
      if (query.length !== store.dimension) {
        throw invalidArgument("vector", `has ${query.length} dimensions, the shard has ${store.dimension}`);
      }
      const hits = store.search(query, request.topK, { payload: request.withPayload, vector: request.withVector }, request.ef);
      return create(SearchShardResponseSchema, { hits: hits.map(toScoredRecord) });
    },

    async searchShardBatch(request) {
      const store = shards.get(shardKey(request.shard));
      const all = bytesToFloat32(request.queries);
      if (all.length % store.dimension !== 0) {
        throw invalidArgument("queries", `hold ${all.length} floats, not a multiple of the shard's ${store.dimension} dimensions`);
      }
      const queries: Float32Array[] = [];
      for (let at = 0; at < all.length; at += store.dimension) queries.push(all.subarray(at, at + store.dimension));
      const options = { payload: request.withPayload, vector: request.withVector };
      const results = store.searchBatch(queries, request.topK, options, request.ef);
      return create(SearchShardBatchResponseSchema, {
        results: results.map((hits) => create(SearchShardResponseSchema, { hits: hits.map(toScoredRecord) })),
      });
    },

    async countPoints(request) {
      const store = shards.get(shardKey(request.shard));
      return create(CountPointsResponseSchema, { count: BigInt(store.count()) });
    },

    async scrollPoints(request) {
      const store = shards.get(shardKey(request.shard));
      const points = store.scroll(request.afterId, request.limit, {
        payload: request.withPayload,
        vector: request.withVector,
      });
      return create(ScrollPointsResponseSchema, { points: points.map(toRecord) });
    },
  };
}

/** A search hit as the wire record; the one place this conversion happens. */
function toScoredRecord(hit: Hit): ScoredRecord {
  return create(ScoredRecordSchema, {
    id: hit.id,
    score: hit.score,
    payload: hit.payload === undefined ? undefined : utf8.encode(hit.payload),
    vector: hit.vector && float32ToBytes(hit.vector),
  });
}

/** A stored point as the wire record; the one place this conversion happens. */
function toRecord(point: StoredPoint): PointRecord {
  const init: MessageInitShape<typeof PointRecordSchema> = { id: point.id };
  if (point.vector) init.vector = float32ToBytes(point.vector);
  if (point.payload !== undefined) init.payload = utf8.encode(point.payload);
  return create(PointRecordSchema, init);
}
