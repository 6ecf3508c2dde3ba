import type { Client } from "@connectrpc/connect";
import type { VectronService } from "@vectron/proto/v1";
import { checkInteger } from "./client-options.js";
import { toProtoFilter } from "./filter-message.js";
import { idsOf } from "./point-writes.js";
import { readConsistencyOf, searchHitOf, storedPointOf, vectorArrayOf } from "./point-messages.js";
import type { StoredPoint } from "./points.js";
import { slicesOf } from "./request-batches.js";
import type { RpcCaller } from "./rpc-caller.js";
import type { ScrollOptions, VectronClient } from "./vectron-client.js";

type PointReads = Pick<VectronClient, "get" | "search" | "searchBatch" | "count" | "scroll">;

/** The reads, every request retried on `unavailable` (reading twice is reading once). */
export function createPointReads(vectron: Client<typeof VectronService>, call: RpcCaller, maxBatchPoints: number): PointReads {
  async function* scroll(collection: string, options: ScrollOptions = {}): AsyncGenerator<StoredPoint> {
    const limit = options.pageSize ?? 0;
    if (options.pageSize !== undefined) checkInteger("scroll: pageSize", limit, 1);
    const base = {
      collection,
      filter: toProtoFilter(options.filter),
      limit,
      withPayload: options.withPayload,
      withVector: options.withVector ?? false,
      consistency: readConsistencyOf(options.consistency),
    };
    let cursor = "";
    do {
      const request = { ...base, cursor };
      const page = await call("Scroll", "idempotent", (o) => vectron.scroll(request, o), options);
      for (const point of page.points) yield storedPointOf(point);
      cursor = page.nextCursor;
    } while (cursor !== "");
  }

  return {
    async get(collection, ids, options = {}) {
      const points: StoredPoint[] = [];
      for (const batch of slicesOf(idsOf(ids, "get: ids must be an array of strings"), maxBatchPoints)) {
        const request = {
          collection,
          ids: batch,
          withPayload: options.withPayload,
          withVector: options.withVector,
          consistency: readConsistencyOf(options.consistency),
        };
        const response = await call("Get", "idempotent", (o) => vectron.get(request, o), options);
        points.push(...response.points.map(storedPointOf));
      }
      return points;
    },
    async search(collection, vector, options = {}) {
      const request = {
        collection,
        vector: vectorArrayOf(vector, "search: vector"),
        topK: options.topK ?? 0,
        filter: toProtoFilter(options.filter),
        withPayload: options.withPayload,
        withVector: options.withVector ?? false,
        ef: options.ef ?? 0,
        consistency: readConsistencyOf(options.consistency),
      };
      const response = await call("Search", "idempotent", (o) => vectron.search(request, o), options);
      return response.results.map(searchHitOf);
    },
    async searchBatch(collection, queries, options = {}) {
      if (!Array.isArray(queries)) throw new TypeError("searchBatch: queries must be an array of { vector, topK?, filter? }");
      const request = {
        collection,
        queries: queries.map((query, i) => ({
          vector: vectorArrayOf(query?.vector, `searchBatch: queries[${i}].vector`),
          topK: query.topK ?? 0,
          filter: toProtoFilter(query.filter),
        })),
        withPayload: options.withPayload,
        withVector: options.withVector ?? false,
        ef: options.ef ?? 0,
        consistency: readConsistencyOf(options.consistency),
      };
      const response = await call("SearchBatch", "idempotent", (o) => vectron.searchBatch(request, o), options);
      return response.batches.map((batch) => batch.results.map(searchHitOf));
    },
    async count(collection, options = {}) {
      const request = { collection, filter: toProtoFilter(options.filter), consistency: readConsistencyOf(options.consistency) };
      const response = await call("Count", "idempotent", (o) => vectron.count(request, o), options);
      return Number(response.count);
    },
    scroll,
  };
}
