import { create } from "@bufbuild/protobuf";
import {
  BatchResultSchema,
  Distance,
  ScoredPointSchema,
  type BatchResult,
  type ScoredPoint,
  type SearchBatchRequest,
  type SearchRequest,
} from "@vectron/proto/v1";
import type { CollectionPlacement } from "@vectron/proto/placement/v1";
import type { ScoredRecord } from "@vectron/proto/worker/v1";
import { invalidArgument } from "@vectron/rpc-errors";
import { bytesToFloat32, float32ToBytes } from "@vectron/vector-bytes";
import type { ApiDeps } from "./api-deps";
import { decodePayload } from "./point-message";
import { rejectFilter } from "./reject-filter";
import { primaryWorkerOf } from "./shard-routing";
import { checkCollectionName, checkCount, checkVector } from "./validate-input";

/**
 * Scatter-gather: asks every shard for its own top k, merges them and keeps the k best.
 * Euclidean scores are distances (lower is better); cosine and dot are similarities.
 */
export async function searchPoints(deps: ApiDeps, ownerId: string, request: SearchRequest): Promise<ScoredPoint[]> {
  const name = checkCollectionName("collection", request.collection);
  const topK = checkCount("topK", request.topK, 10, deps.limits.maxTopK);
  rejectFilter(request.filter);
  const collection = await deps.collections.resolve(ownerId, name);
  const query = float32ToBytes(checkVector("vector", request.vector, collection.dimension, collection.distance));
  const withPayload = request.withPayload ?? true;
  const ef = checkCount("ef", request.ef, 0, deps.limits.maxEf);
  const perShard = await Promise.all(
    collection.shards.map(async (shard) => {
      const worker = deps.workers.get(primaryWorkerOf(collection, shard));
      const { hits } = await worker.searchShard({
        ef,
        shard: { collectionId: collection.id, shardId: shard.shardId },
        vector: query,
        topK,
        withPayload,
        withVector: request.withVector,
      });
      return hits;
    }),
  );
  return mergeHits(collection, perShard, topK).map((hit) => toScoredPoint(hit, withPayload, request.withVector));
}

/**
 * SearchBatch: every query checked first, then one SearchShardBatch per shard carrying
 * all queries (with the largest topK asked), merged per query.
 */
export async function searchBatch(deps: ApiDeps, ownerId: string, request: SearchBatchRequest): Promise<BatchResult[]> {
  const name = checkCollectionName("collection", request.collection);
  const { limits } = deps;
  if (request.queries.length === 0) throw invalidArgument("queries", "must not be empty");
  if (request.queries.length > limits.maxBatchQueries) {
    throw invalidArgument("queries", `has ${request.queries.length} queries, the limit is ${limits.maxBatchQueries}`);
  }
  const topKs = request.queries.map((q, i) => checkCount(`queries[${i}].topK`, q.topK, 10, limits.maxTopK));
  const asked = topKs.reduce((sum, k) => sum + k, 0);
  if (asked > limits.maxBatchResults) {
    throw invalidArgument("queries", `ask for ${asked} results in all, the limit is ${limits.maxBatchResults}`);
  }
  request.queries.forEach((q) => rejectFilter(q.filter));
  const collection = await deps.collections.resolve(ownerId, name);
  const all = new Float32Array(request.queries.length * collection.dimension);
  request.queries.forEach((q, i) =>
    all.set(checkVector(`queries[${i}].vector`, q.vector, collection.dimension, collection.distance), i * collection.dimension),
  );
  const withPayload = request.withPayload ?? true;
  const ef = checkCount("ef", request.ef, 0, limits.maxEf);
  const maxK = Math.max(...topKs);
  const perShard = await Promise.all(
    collection.shards.map(async (shard) => {
      const worker = deps.workers.get(primaryWorkerOf(collection, shard));
      const { results } = await worker.searchShardBatch({
        shard: { collectionId: collection.id, shardId: shard.shardId },
        queries: float32ToBytes(all),
        ef,
        topK: maxK,
        withPayload,
        withVector: request.withVector,
      });
      return results;
    }),
  );
  return topKs.map((topK, q) =>
    create(BatchResultSchema, {
      results: mergeHits(collection, perShard.map((results) => results[q]?.hits ?? []), topK).map((hit) =>
        toScoredPoint(hit, withPayload, request.withVector),
      ),
    }),
  );
}

/** The k best of the shards' hits, best first. */
function mergeHits(collection: CollectionPlacement, perShard: ScoredRecord[][], topK: number): ScoredRecord[] {
  const lowerIsBetter = collection.distance === Distance.EUCLIDEAN;
  const merged = perShard.length === 1 ? perShard[0]! : perShard.flat().sort((a, b) => (lowerIsBetter ? a.score - b.score : b.score - a.score));
  return merged.slice(0, topK);
}

function toScoredPoint(hit: ScoredRecord, withPayload: boolean, withVector: boolean): ScoredPoint {
  return create(ScoredPointSchema, {
    id: hit.id,
    score: hit.score,
    payload: withPayload ? decodePayload(hit.payload) : undefined,
    vector: withVector ? Array.from(bytesToFloat32(hit.vector)) : [],
  });
}
