import { create } from "@bufbuild/protobuf";
import { Distance, ScoredPointSchema, type ScoredPoint, type SearchRequest } from "@vectron/proto/v1";
import type { ScoredRecord } from "@vectron/proto/worker/v1";
import { bytesToFloat32, float32ToBytes } from "@vectron/vector-bytes";
import type { ApiDeps } from "./api-deps";
import { rejectFilter } from "./reject-filter";
import { decodePayload } from "./point-message";
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
  const perShard = await Promise.all(
    collection.shards.map(async (shard) => {
      const worker = deps.workers.get(primaryWorkerOf(collection, shard));
      const { hits } = await worker.searchShard({
        shard: { collectionId: collection.id, shardId: shard.shardId },
        vector: query,
        topK,
        withPayload,
        withVector: request.withVector,
      });
      return hits;
    }),
  );
  const lowerIsBetter = collection.distance === Distance.EUCLIDEAN;
  const merged = perShard.length === 1 ? perShard[0]! : perShard.flat().sort((a, b) => (lowerIsBetter ? a.score - b.score : b.score - a.score));
  return merged.slice(0, topK).map((hit) => toScoredPoint(hit, withPayload, request.withVector));
}

function toScoredPoint(hit: ScoredRecord, withPayload: boolean, withVector: boolean): ScoredPoint {
  return create(ScoredPointSchema, {
    id: hit.id,
    score: hit.score,
    payload: withPayload ? decodePayload(hit.payload) : undefined,
    vector: withVector ? Array.from(bytesToFloat32(hit.vector)) : [],
  });
}
