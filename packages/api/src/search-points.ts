import { create } from "@bufbuild/protobuf";
import {
  BatchResultSchema,
  Distance,
  ScoredPointSchema,
  SearchBatchResponseSchema,
  SearchResponseSchema,
  type Filter,
  type ScoredPoint,
  type SearchBatchRequest,
  type SearchBatchResponse,
  type SearchRequest,
  type SearchResponse,
} from "@vectron/proto/v1";
import { setJsonRendering } from "@vectron/prerendered-json";
import type { CollectionPlacement } from "@vectron/proto/placement/v1";
import type { ScoredRecord } from "@vectron/proto/worker/v1";
import { checkFilter, isEmptyFilter } from "@vectron/payload-filter";
import { invalidArgument } from "@vectron/rpc-errors";
import { bytesToFloat32, float32ToBytes } from "@vectron/vector-bytes";
import { READ_CALL_TIMEOUT_MS } from "./shard-call";
import type { ApiDeps } from "./api-deps";
import { setLazyPayload } from "./lazy-payload";
import { rendersWith, scoredPointsJson, type HitJson } from "./scored-points-json";
import { onShards, type ShardFanOut } from "./shard-fan-out";
import { checkCollectionName, checkConsistency, checkCount, checkVector } from "./validate-input";

/**
 * Scatter-gather: asks every shard for its own top k, merges them and keeps the k best.
 * Euclidean scores are distances (lower is better); cosine and dot are similarities.
 */
export async function searchPoints(deps: ApiDeps, ownerId: string, request: SearchRequest): Promise<SearchResponse> {
  const name = checkCollectionName("collection", request.collection);
  const topK = checkCount("topK", request.topK, 10, deps.limits.maxTopK);
  checkFilter("filter", request.filter);
  const ef = checkCount("ef", request.ef, 0, deps.limits.maxEf);
  const collection = await deps.collections.resolve(ownerId, name);
  const query = checkVector("vector", request.vector, collection.dimension, collection.distance);
  const withPayload = request.withPayload ?? true;
  const fanOut: ShardFanOut = { consistency: checkConsistency("consistency", request.consistency), allowPartial: request.allowPartial, missing: new Set() };
  const hits = await searchShards(deps, collection, fanOut, { query, topK, ef, filter: request.filter, withPayload, withVector: request.withVector });
  const scored = toScoredPoints(hits, withPayload, request.withVector);
  const missingShards = missingOf(fanOut);
  const response = create(SearchResponseSchema, { results: scored.points, missingShards });
  return setJsonRendering(response, (options) =>
    rendersWith(options) ? `{"results":${scoredPointsJson(scored.json)},"missingShards":[${missingShards.join(",")}]}` : undefined,
  );
}

function missingOf(fanOut: ShardFanOut): number[] {
  return [...fanOut.missing].sort((a, b) => a - b);
}

interface ShardSearch {
  query: Float32Array;
  topK: number;
  ef: number;
  filter: Filter | undefined;
  withPayload: boolean;
  withVector: boolean;
}

/** One query on every shard, merged. */
async function searchShards(deps: ApiDeps, collection: CollectionPlacement, fanOut: ShardFanOut, search: ShardSearch): Promise<ScoredRecord[]> {
  const vector = float32ToBytes(search.query);
  const perShard = await onShards(deps, collection, fanOut, async (worker, shard, anyReplica) => {
    const { hits } = await worker.searchShard(
      {
        shard,
        vector,
        topK: search.topK,
        ef: search.ef,
        filter: search.filter,
        withPayload: search.withPayload,
        withVector: search.withVector,
        anyReplica,
      },
      { timeoutMs: READ_CALL_TIMEOUT_MS },
    );
    return hits;
  });
  return mergeHits(collection, perShard.filter((hits) => hits !== undefined), search.topK);
}

/**
 * SearchBatch: every query checked first, then one SearchShardBatch per shard carrying
 * all queries (with the largest topK asked), merged per query.
 */
export async function searchBatch(deps: ApiDeps, ownerId: string, request: SearchBatchRequest): Promise<SearchBatchResponse> {
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
  const filters = request.queries.map((q, i) => checkFilter(`queries[${i}].filter`, q.filter));
  const ef = checkCount("ef", request.ef, 0, limits.maxEf);
  const collection = await deps.collections.resolve(ownerId, name);
  const vectors = request.queries.map((q, i) =>
    checkVector(`queries[${i}].vector`, q.vector, collection.dimension, collection.distance),
  );
  const withPayload = request.withPayload ?? true;
  const fanOut: ShardFanOut = { consistency: checkConsistency("consistency", request.consistency), allowPartial: request.allowPartial, missing: new Set() };
  const answer = (perQuery: ScoredRecord[][]) => {
    const scored = perQuery.map((hits) => toScoredPoints(hits, withPayload, request.withVector));
    const missingShards = missingOf(fanOut);
    const batches = scored.map(({ points }) => create(BatchResultSchema, { results: points }));
    const response = create(SearchBatchResponseSchema, { batches, missingShards });
    return setJsonRendering(response, (options) =>
      rendersWith(options)
        ? `{"batches":[${scored.map(({ json }) => `{"results":${scoredPointsJson(json)}}`).join(",")}],"missingShards":[${missingShards.join(",")}]}`
        : undefined,
    );
  };
  if (filters.some((filter) => filter && !isEmptyFilter(filter))) {
    // Filtered queries each take their shard's planner path; they go one by one.
    const searches = request.queries.map((q, i) =>
      searchShards(deps, collection, fanOut, { query: vectors[i]!, topK: topKs[i]!, ef, filter: q.filter, withPayload, withVector: request.withVector }),
    );
    return answer(await Promise.all(searches));
  }
  const all = new Float32Array(request.queries.length * collection.dimension);
  vectors.forEach((vector, i) => all.set(vector, i * collection.dimension));
  const maxK = Math.max(...topKs);
  const queries = float32ToBytes(all);
  const perShard = (
    await onShards(deps, collection, fanOut, async (worker, shard, anyReplica) => {
      const { results } = await worker.searchShardBatch(
        { shard, queries, ef, topK: maxK, withPayload, withVector: request.withVector, anyReplica },
        { timeoutMs: READ_CALL_TIMEOUT_MS },
      );
      return results;
    })
  ).filter((results) => results !== undefined);
  return answer(topKs.map((topK, q) => mergeHits(collection, perShard.map((results) => results[q]?.hits ?? []), topK)));
}

/** The k best of the shards' hits, best first. */
function mergeHits(collection: CollectionPlacement, perShard: ScoredRecord[][], topK: number): ScoredRecord[] {
  const lowerIsBetter = collection.distance === Distance.EUCLIDEAN;
  const merged = perShard.length === 1 ? perShard[0]! : perShard.flat().sort((a, b) => (lowerIsBetter ? a.score - b.score : b.score - a.score));
  return merged.slice(0, topK);
}

/**
 * Hits as public ScoredPoints (payloads parsed only if an encoder reads them) and as the
 * data their JSON is written from (payloads as the stored bytes, never parsed).
 */
function toScoredPoints(hits: ScoredRecord[], withPayload: boolean, withVector: boolean): { points: ScoredPoint[]; json: HitJson[] } {
  const points: ScoredPoint[] = [];
  const json: HitJson[] = [];
  for (const hit of hits) {
    const vector = withVector ? Array.from(bytesToFloat32(hit.vector)) : [];
    const point = create(ScoredPointSchema, { id: hit.id, score: hit.score, vector });
    if (withPayload) setLazyPayload(point, hit.payload);
    points.push(point);
    json.push({ id: hit.id, score: hit.score, vector, payload: withPayload ? hit.payload : undefined });
  }
  return { points, json };
}
