import type { Client } from "@connectrpc/connect";
import type { VectronService } from "@vectron/proto/v1";
import { checkInteger } from "./client-options.js";
import { toProtoFilter } from "./filter-message.js";
import { pointInitOf } from "./point-messages.js";
import { pointSlicesOf, slicesOf } from "./request-batches.js";
import type { RpcCaller } from "./rpc-caller.js";
import { runBatches } from "./run-batches.js";
import type { VectronClient } from "./vectron-client.js";

type PointWrites = Pick<VectronClient, "upsert" | "delete" | "setPayload" | "deletePayloadKeys">;

/** What the writes need from the client. */
export interface PointWriteContext {
  vectron: Client<typeof VectronService>;
  call: RpcCaller;
  /** The server's batch limit: ids per request. */
  maxBatchPoints: number;
  format: "binary" | "json";
}

const DEFAULT_MAX_BATCH_BYTES = 16 << 20;

/**
 * The writes. Every one is idempotent by id (upserting, deleting or setting the same
 * thing twice leaves the same state; the server says so too), so each request is
 * retried on `unavailable`. Only `deleted`/`updated` may then count less than the
 * points that were there, if a lost first attempt had already done the work.
 */
export function createPointWrites({ vectron, call, maxBatchPoints, format }: PointWriteContext): PointWrites {
  return {
    async upsert(collection, points, options = {}) {
      if (!Array.isArray(points)) throw new TypeError("upsert: points must be an array of { id, vector, payload? }");
      const batchSize = options.batchSize ?? maxBatchPoints;
      checkInteger("upsert: batchSize", batchSize, 1);
      const concurrency = options.concurrency ?? 1;
      checkInteger("upsert: concurrency", concurrency, 1);
      const maxBatchBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
      checkInteger("upsert: maxBatchBytes", maxBatchBytes, 1);
      const inits = points.map(pointInitOf);
      const writeQuorum = options.writeQuorum ?? 0;
      const upserted = await runBatches(
        pointSlicesOf(inits, batchSize, maxBatchBytes, format),
        concurrency,
        async (batch) => {
          const request = { collection, points: batch, writeQuorum };
          const response = await call("Upsert", "idempotent", (o) => vectron.upsert(request, o), options);
          return response.upserted;
        },
        options.onProgress,
      );
      return { upserted };
    },
    async delete(collection, selector, options = {}) {
      const writeQuorum = options.writeQuorum ?? 0;
      if (selector?.filter !== undefined && selector.ids !== undefined) throw new TypeError("delete: pass { ids: [...] } or { filter }, not both");
      if (selector?.filter !== undefined) {
        const request = { collection, filter: toProtoFilter(selector.filter), writeQuorum };
        const response = await call("Delete", "idempotent", (o) => vectron.delete(request, o), options);
        return { deleted: response.deleted };
      }
      const ids = idsOf(selector?.ids, "delete: pass { ids: [...] } or { filter }");
      let deleted = 0;
      for (const batch of slicesOf(ids, maxBatchPoints)) {
        const response = await call("Delete", "idempotent", (o) => vectron.delete({ collection, ids: batch, writeQuorum }, o), options);
        deleted += response.deleted;
      }
      return { deleted };
    },
    async setPayload(collection, ids, payload, options = {}) {
      if (typeof payload !== "object" || payload === null || Array.isArray(payload)) throw new TypeError("setPayload: payload must be a JSON object");
      let updated = 0;
      for (const batch of slicesOf(idsOf(ids, "setPayload: ids must be an array of strings"), maxBatchPoints)) {
        const request = { collection, ids: batch, payload, overwrite: options.overwrite ?? false, writeQuorum: options.writeQuorum ?? 0 };
        const response = await call("SetPayload", "idempotent", (o) => vectron.setPayload(request, o), options);
        updated += response.updated;
      }
      return { updated };
    },
    async deletePayloadKeys(collection, ids, keys, options = {}) {
      if (!Array.isArray(keys)) throw new TypeError("deletePayloadKeys: keys must be an array of top-level payload keys");
      let updated = 0;
      for (const batch of slicesOf(idsOf(ids, "deletePayloadKeys: ids must be an array of strings"), maxBatchPoints)) {
        const request = { collection, ids: batch, keys: [...keys], writeQuorum: options.writeQuorum ?? 0 };
        const response = await call("DeletePayloadKeys", "idempotent", (o) => vectron.deletePayloadKeys(request, o), options);
        updated += response.updated;
      }
      return { updated };
    },
  };
}

/** The ids as an array, or a TypeError with `misuse` as its message. */
export function idsOf(ids: readonly string[] | undefined, misuse: string): string[] {
  if (!Array.isArray(ids)) throw new TypeError(misuse);
  return ids as string[];
}
