import { create, type JsonObject } from "@bufbuild/protobuf";
import { PointSchema, type GetRequest, type Point } from "@vectron/proto/v1";
import type { PointRecord } from "@vectron/proto/worker/v1";
import { bytesToFloat32 } from "@vectron/vector-bytes";
import type { ApiDeps } from "./api-deps";
import { groupByShard, primaryWorkerOf, shardById } from "./shard-routing";
import { checkCollectionName, checkIds } from "./validate-input";

const fromUtf8 = new TextDecoder();

/** Get: the points that exist among `ids`, in the order asked, with payload and vector by default. */
export async function getPoints(deps: ApiDeps, ownerId: string, request: GetRequest): Promise<Point[]> {
  const name = checkCollectionName("collection", request.collection);
  const ids = checkIds("ids", request.ids, deps.limits);
  const withPayload = request.withPayload ?? true;
  const withVector = request.withVector ?? true;
  const collection = await deps.collections.resolve(ownerId, name);
  const found = new Map<string, Point>();
  const groups = groupByShard(ids, (id) => id, collection.shardCount);
  await Promise.all(
    [...groups].map(async ([shardId, shardIds]) => {
      const worker = deps.workers.get(primaryWorkerOf(collection, shardById(collection, shardId)));
      const { points } = await worker.getPoints({
        shard: { collectionId: collection.id, shardId },
        ids: shardIds,
        withPayload,
        withVector,
      });
      for (const record of points) found.set(record.id, toPoint(record, withPayload, withVector));
    }),
  );
  return ids.flatMap((id) => found.get(id) ?? []);
}

/** A stored record as a public Point; the one place this conversion happens. */
export function toPoint(record: PointRecord, withPayload: boolean, withVector: boolean): Point {
  return create(PointSchema, {
    id: record.id,
    vector: withVector ? Array.from(bytesToFloat32(record.vector)) : [],
    payload: withPayload ? decodePayload(record.payload) : undefined,
  });
}

/** Payload bytes (UTF-8 JSON object) as the JsonObject a Struct field holds. */
export function decodePayload(bytes: Uint8Array): JsonObject {
  return bytes.length ? (JSON.parse(fromUtf8.decode(bytes)) as JsonObject) : {};
}
