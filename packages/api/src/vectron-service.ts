import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { VectronService } from "@vectron/proto/v1";
import type { ApiDeps } from "./api-deps";
import { CallAdmission, type Authenticate } from "./call-admission";
import { countRequest } from "./count-request";
import { createCollection } from "./create-collection";
import { deleteCollection } from "./delete-collection";
import { deletePoints } from "./delete-points";
import { createPayloadIndex, deletePayloadIndex } from "./payload-index-admin";
import { getCollection, listCollections } from "./describe-collections";
import { countOwnerPoints } from "./point-quota";
import { PointUsage } from "./point-usage";
import { getPoints } from "./read-points";
import { scrollPoints } from "./scroll-points";
import { searchBatch, searchPoints } from "./search-points";
import { snapshotShard } from "./snapshot-shard";
import { deletePayloadKeys, setPayload } from "./update-payloads";
import { upsertPoints } from "./upsert-points";

/**
 * The public data API. Every call is first admitted (credentials, the plan's rate, and
 * for writes a key that may write: see CallAdmission); the user id then scopes every
 * collection lookup, so no call can reach another user's data. Quotas: collections per
 * user at CreateCollection, points per user at Upsert (see PointUsage).
 */
export function createVectronService(deps: ApiDeps, authenticate: Authenticate): ServiceImpl<typeof VectronService> {
  const admission = new CallAdmission(authenticate, deps.plans);
  const usage = new PointUsage((ownerId) => countOwnerPoints(deps, ownerId), { log: deps.log });
  const reader = async (ctx: HandlerContext) => (await admission.reader(ctx)).userId;
  return {
    async createCollection(request, ctx) {
      return { collection: await createCollection(deps, await admission.writer(ctx), request) };
    },
    async getCollection(request, ctx) {
      return { collection: await getCollection(deps, await reader(ctx), request) };
    },
    async listCollections(_request, ctx) {
      return { collections: await listCollections(deps, await reader(ctx)) };
    },
    async deleteCollection(request, ctx) {
      const { userId } = await admission.writer(ctx);
      try {
        await deleteCollection(deps, userId, request);
      } finally {
        // Its points are gone (or may be): count the user's points again at the next upsert.
        usage.forget(userId);
      }
      return {};
    },
    async createPayloadIndex(request, ctx) {
      return { collection: await createPayloadIndex(deps, (await admission.writer(ctx)).userId, request) };
    },
    async deletePayloadIndex(request, ctx) {
      return { collection: await deletePayloadIndex(deps, (await admission.writer(ctx)).userId, request) };
    },
    async upsert(request, ctx) {
      return { upserted: await upsertPoints(deps, usage, await admission.writer(ctx), request) };
    },
    async get(request, ctx) {
      return { points: await getPoints(deps, await reader(ctx), request) };
    },
    async delete(request, ctx) {
      const { userId } = await admission.writer(ctx);
      const deleted = await deletePoints(deps, userId, request);
      usage.deleted(userId, deleted);
      return { deleted };
    },
    async setPayload(request, ctx) {
      return { updated: await setPayload(deps, (await admission.writer(ctx)).userId, request) };
    },
    async deletePayloadKeys(request, ctx) {
      return { updated: await deletePayloadKeys(deps, (await admission.writer(ctx)).userId, request) };
    },
    async search(request, ctx) {
      return searchPoints(deps, await reader(ctx), request);
    },
    async searchBatch(request, ctx) {
      return searchBatch(deps, await reader(ctx), request);
    },
    async count(request, ctx) {
      return { count: BigInt(await countRequest(deps, await reader(ctx), request)) };
    },
    async scroll(request, ctx) {
      return scrollPoints(deps, await reader(ctx), request);
    },
    async *snapshotShard(request, ctx) {
      yield* snapshotShard(deps, await reader(ctx), request, { signal: ctx.signal, timeoutMs: ctx.timeoutMs() });
    },
  };
}
