import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { VectronService } from "@vectron/proto/v1";
import type { ApiDeps } from "./api-deps";
import { countRequest } from "./count-request";
import { createCollection } from "./create-collection";
import { deleteCollection } from "./delete-collection";
import { deletePoints } from "./delete-points";
import { createPayloadIndex, deletePayloadIndex } from "./payload-index-admin";
import { getCollection, listCollections } from "./describe-collections";
import { getPoints } from "./read-points";
import { scrollPoints } from "./scroll-points";
import { searchBatch, searchPoints } from "./search-points";
import { deletePayloadKeys, setPayload } from "./update-payloads";
import { upsertPoints } from "./upsert-points";

/** Resolves the `Authorization` header to the calling user; throws `unauthenticated`. */
export type Authenticate = (authorization: string | null) => Promise<{ userId: string }>;

/**
 * The public data API. Every call first authenticates (API key or session JWT); the
 * user id then scopes every collection lookup, so no call can reach another user's data.
 */
export function createVectronService(deps: ApiDeps, authenticate: Authenticate): ServiceImpl<typeof VectronService> {
  const caller = async (ctx: HandlerContext) => (await authenticate(ctx.requestHeader.get("authorization"))).userId;
  return {
    async createCollection(request, ctx) {
      return { collection: await createCollection(deps, await caller(ctx), request) };
    },
    async getCollection(request, ctx) {
      return { collection: await getCollection(deps, await caller(ctx), request) };
    },
    async listCollections(_request, ctx) {
      return { collections: await listCollections(deps, await caller(ctx)) };
    },
    async deleteCollection(request, ctx) {
      await deleteCollection(deps, await caller(ctx), request);
      return {};
    },
    async createPayloadIndex(request, ctx) {
      return { collection: await createPayloadIndex(deps, await caller(ctx), request) };
    },
    async deletePayloadIndex(request, ctx) {
      return { collection: await deletePayloadIndex(deps, await caller(ctx), request) };
    },
    async upsert(request, ctx) {
      return { upserted: await upsertPoints(deps, await caller(ctx), request) };
    },
    async get(request, ctx) {
      return { points: await getPoints(deps, await caller(ctx), request) };
    },
    async delete(request, ctx) {
      return { deleted: await deletePoints(deps, await caller(ctx), request) };
    },
    async setPayload(request, ctx) {
      return { updated: await setPayload(deps, await caller(ctx), request) };
    },
    async deletePayloadKeys(request, ctx) {
      return { updated: await deletePayloadKeys(deps, await caller(ctx), request) };
    },
    async search(request, ctx) {
      return searchPoints(deps, await caller(ctx), request);
    },
    async searchBatch(request, ctx) {
      return searchBatch(deps, await caller(ctx), request);
    },
    async count(request, ctx) {
      return { count: BigInt(await countRequest(deps, await caller(ctx), request)) };
    },
    async scroll(request, ctx) {
      return scrollPoints(deps, await caller(ctx), request);
    },
  };
}
