import { create, type JsonObject } from "@bufbuild/protobuf";
import { PointSchema, type Point } from "@vectron/proto/v1";
import type { PointRecord } from "@vectron/proto/worker/v1";
import { bytesToFloat32 } from "@vectron/vector-bytes";

const fromUtf8 = new TextDecoder();

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
