import { create, type MessageInitShape } from "@bufbuild/protobuf";
import type { ContextFreeImpl } from "@vectron/local-client";
import {
  ApplyWritesResponseSchema,
  CountPointsResponseSchema,
  CreatePayloadIndexResponseSchema,
  DropPayloadIndexResponseSchema,
  DropShardResponseSchema,
  GetPointsResponseSchema,
  OpenShardResponseSchema,
  PointRecordSchema,
  ScoredRecordSchema,
  ScrollPointsResponseSchema,
  SearchShardBatchResponseSchema,
  SearchShardResponseSchema,
  DeleteByFilterResponseSchema,
  PayloadUpdateMode,
  UpdatePayloadsResponseSchema,
  type UpdatePayloadsRequest,
  type PointRecord,
  type ScoredRecord,
  type WorkerService,
} from "@vectron/proto/worker/v1";
import type { Hit, StoredPoint } from "@vectron/shard-store";
import { bytesToFloat32, float32ToBytes } from "@vectron/vector-bytes";
import { invalidArgument } from "@vectron/rpc-errors";
import { checkFilter } from "@vectron/payload-filter";
import { distanceName } from "@vectron/enum-names";
import { payloadIndexOf } from "./payload-index-kind";
import type { PayloadUpdate } from "./payload-update";
import { shardKey } from "./shard-key";
import type { PrimaryTerm } from "./primary-term";
import type { ReplicationEngine } from "./replication-engine";
import type { ShardOps } from "./shard-ops";
import { streamShardCopy } from "./shard-copy-stream";
import { SnapshotStreamLimit } from "./snapshot-stream-limit";
import { createReplicationRpcs } from "./worker-replication-rpcs";

/**
 * The WorkerService methods. None of them reads the handler context, so the same object
 * serves remote calls (through a Connect router) and in-process calls (local-client).
 */
export type WorkerApi = ContextFreeImpl<typeof WorkerService>;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/**
 * The WorkerService over a worker's shards (in this thread or spread over shard threads).
 * Writes go through the shard's primary term (epoch check, then quorum wait); reads
 * through ReplicationEngine.checkRead; replication RPCs in worker-replication-rpcs.ts.
 * `snapshots` bounds the shard copies SnapshotShard streams at once.
 */
export function createWorkerService(
  shards: ShardOps,
  replication: ReplicationEngine,
  snapshots: SnapshotStreamLimit = new SnapshotStreamLimit(),
): WorkerApi {
  return {
    ...createReplicationRpcs(shards, replication),

    async openShard(request) {
      const spec = request.spec;
      if (!spec) throw invalidArgument("spec", "is required");
      const key = shardKey(spec.shard);
      if (spec.dimension < 1) throw invalidArgument("spec.dimension", "must be at least 1");
      const indexes = spec.payloadIndexes.map((index, i) => payloadIndexOf(`spec.payloadIndexes[${i}]`, index));
      const { lastSeq } = await shards.open(key, { dimension: spec.dimension, metric: distanceName(spec.distance, "spec.distance") }, indexes);
      await replication.opened(key, Number(spec.shard?.epoch ?? 0n));
      return create(OpenShardResponseSchema, { lastSeq: BigInt(lastSeq) });
    },

    async createPayloadIndex(request) {
      await shards.createPayloadIndex(shardKey(request.shard), payloadIndexOf("index", request.index));
      return create(CreatePayloadIndexResponseSchema);
    },

    async dropPayloadIndex(request) {
      await shards.dropPayloadIndex(shardKey(request.shard), request.key);
      return create(DropPayloadIndexResponseSchema);
    },

    async dropShard(request) {
      const key = shardKey(request.shard);
      await replication.dropped(key, "DropShard", false);
      await shards.drop(key);
      return create(DropShardResponseSchema);
    },

    async applyWrites(request) {
      const { key, term, quorum } = replication.writeTerm(request.shard, request.writeQuorum);
      const upserts = request.upserts.map((record) => ({
        id: record.id,
        vector: bytesToFloat32(record.vector),
        payload: record.payload.length ? fromUtf8.decode(record.payload) : "{}",
      }));
      const result = await shards.apply(key, upserts, request.deletes, term.epoch);
      await replicated(replication, term, result.lastSeq, quorum);
      return create(ApplyWritesResponseSchema, {
        lastSeq: BigInt(result.lastSeq),
        upserted: result.upserted,
        deleted: result.deleted,
      });
    },

    async updatePayloads(request) {
      const { key, term, quorum } = replication.writeTerm(request.shard, request.writeQuorum);
      const result = await shards.updatePayloads(key, request.ids, payloadUpdateOf(request), term.epoch);
      await replicated(replication, term, result.lastSeq, quorum);
      return create(UpdatePayloadsResponseSchema, { lastSeq: BigInt(result.lastSeq), updated: result.upserted });
    },

    async deleteByFilter(request) {
      const { key, term, quorum } = replication.writeTerm(request.shard, request.writeQuorum);
      const filter = checkFilter("filter", request.filter);
      if (!filter) throw invalidArgument("filter", "is required");
      const result = await shards.deleteByFilter(key, filter, term.epoch);
      await replicated(replication, term, result.lastSeq, quorum);
      return create(DeleteByFilterResponseSchema, { lastSeq: BigInt(result.lastSeq), deleted: result.deleted });
    },

    async getPoints(request) {
      const key = await replication.checkRead(request.shard, request.anyReplica);
      const options = { payload: request.withPayload, vector: request.withVector };
      const points = await shards.get(key, request.ids, options);
      return create(GetPointsResponseSchema, { points: points.map(toRecord) });
    },

    async searchShard(request) {
      const key = await replication.checkRead(request.shard, request.anyReplica);
      const options = { payload: request.withPayload, vector: request.withVector };
      const filter = checkFilter("filter", request.filter);
      const hits = await shards.search(key, bytesToFloat32(request.vector), request.topK, options, request.ef, filter);
      return create(SearchShardResponseSchema, { hits: hits.map(toScoredRecord) });
    },

    async searchShardBatch(request) {
      const key = await replication.checkRead(request.shard, request.anyReplica);
      const options = { payload: request.withPayload, vector: request.withVector };
      const results = await shards.searchBatch(key, bytesToFloat32(request.queries), request.topK, options, request.ef);
      return create(SearchShardBatchResponseSchema, {
        results: results.map((hits) => create(SearchShardResponseSchema, { hits: hits.map(toScoredRecord) })),
      });
    },

    async countPoints(request) {
      const key = await replication.checkRead(request.shard, request.anyReplica);
      const count = await shards.count(key, checkFilter("filter", request.filter));
      return create(CountPointsResponseSchema, { count: BigInt(count) });
    },

    async scrollPoints(request) {
      const key = await replication.checkRead(request.shard, request.anyReplica);
      const options = { payload: request.withPayload, vector: request.withVector };
      const filter = checkFilter("filter", request.filter);
      const points = await shards.scroll(key, request.afterId, request.limit, options, filter);
      return create(ScrollPointsResponseSchema, { points: points.map(toRecord) });
    },

    async *snapshotShard(request) {
      // A strong read: only the primary of the epoch asked copies, so the copy holds
      // every write acknowledged before the call.
      const key = await replication.checkRead(request.shard, false);
      // Each copy takes a shard's size on disk until its stream ends: bounded per shard
      // and per worker, the slot taken before the copy is made and freed once it is deleted.
      const release = snapshots.acquire(key);
      try {
        yield* streamShardCopy(await shards.copy(key));
      } finally {
        release();
      }
    },
  };
}

/** After a local commit: wakes the follower streams, then waits for the write quorum. */
async function replicated(replication: ReplicationEngine, term: PrimaryTerm, lastSeq: number, quorum: number): Promise<void> {
  term.committed();
  await term.waitForQuorum(lastSeq, quorum);
  await replication.confirmWrite(term, quorum);
}

/** The update a request asks for; payloads arrive as UTF-8 JSON objects. */
function payloadUpdateOf(request: UpdatePayloadsRequest): PayloadUpdate {
  switch (request.mode) {
    case PayloadUpdateMode.MERGE:
    case PayloadUpdateMode.OVERWRITE: {
      const payload = JSON.parse(fromUtf8.decode(request.payload) || "{}") as unknown;
      if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
        throw invalidArgument("payload", "must be a JSON object");
      }
      const mode = request.mode === PayloadUpdateMode.MERGE ? "merge" : "overwrite";
      return { mode, payload: payload as Record<string, unknown>, maxBytes: request.maxPayloadBytes };
    }
    case PayloadUpdateMode.DELETE_KEYS:
      return { mode: "delete-keys", keys: request.keys, maxBytes: request.maxPayloadBytes };
    default:
      throw invalidArgument("mode", "must be MERGE, OVERWRITE or DELETE_KEYS");
  }
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
