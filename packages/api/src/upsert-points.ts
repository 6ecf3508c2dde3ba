import { create } from "@bufbuild/protobuf";
import type { UpsertRequest } from "@vectron/proto/v1";
import { PointRecordSchema, type PointRecord } from "@vectron/proto/worker/v1";
import { invalidArgument } from "@vectron/rpc-errors";
import { float32ToBytes } from "@vectron/vector-bytes";
import type { ApiDeps } from "./api-deps";
import type { Caller } from "./call-admission";
import { reservePoints } from "./point-quota";
import type { PointUsage } from "./point-usage";
import { onPrimary, WRITE_CALL_TIMEOUT_MS } from "./shard-call";
import { groupByShard } from "./shard-routing";
import { checkWriteQuorum } from "./write-quorum";
import { checkCollectionName, checkPointId, checkVector, encodePayload } from "./validate-input";

/**
 * Validates the whole batch before writing anything, takes room in the caller's point
 * quota (see reservePoints), then sends one ApplyWrites per shard (in parallel) to its
 * primary. Acknowledged once every shard has committed durably on its write quorum. If
 * a shard fails after others committed, the request fails and may be retried: upserts
 * are idempotent.
 */
export async function upsertPoints(deps: ApiDeps, usage: PointUsage, caller: Caller, request: UpsertRequest): Promise<number> {
  const ownerId = caller.userId;
  const name = checkCollectionName("collection", request.collection);
  const { limits } = deps;
  if (request.points.length === 0) throw invalidArgument("points", "must not be empty");
  if (request.points.length > limits.maxBatchPoints) {
    throw invalidArgument("points", `has ${request.points.length} points, the limit is ${limits.maxBatchPoints}`);
  }
  const collection = await deps.collections.resolve(ownerId, name);
  const writeQuorum = checkWriteQuorum(request.writeQuorum, collection);
  const records: PointRecord[] = request.points.map((point, i) =>
    create(PointRecordSchema, {
      id: checkPointId(`points[${i}].id`, point.id, limits),
      vector: float32ToBytes(checkVector(`points[${i}].vector`, point.vector, collection.dimension, collection.distance)),
      payload: encodePayload(`points[${i}].payload`, point.payload, limits),
    }),
  );
  const reservation = await reservePoints(deps, usage, caller, collection, [...new Set(records.map((record) => record.id))]);
  const groups = groupByShard(records, (record) => record.id, collection.shardCount);
  let upserted: number | undefined;
  try {
    const results = await Promise.all(
      [...groups].map(([shardId, upserts]) =>
        onPrimary(deps, collection, shardId, (worker, shard) =>
          worker.applyWrites({ shard, upserts, writeQuorum }, { timeoutMs: WRITE_CALL_TIMEOUT_MS }),
        ),
      ),
    );
    // Distinct ids written: a batch naming one id twice stores it once (the last wins).
    upserted = results.reduce((sum, result) => sum + result.upserted, 0);
    return upserted;
  } finally {
    reservation.settle(upserted);
  }
}
