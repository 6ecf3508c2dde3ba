import { checkFilterKey } from "@vectron/payload-filter";
import { Distance, ReadConsistency } from "@vectron/proto/v1";
import { invalidArgument } from "@vectron/rpc-errors";
import type { Limits } from "./limits";

const COLLECTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const utf8 = new TextEncoder();

/** Collection names: 1–64 characters of letters, digits, `_`, `.` and `-`, starting alphanumeric. */
export function checkCollectionName(field: string, name: string): string {
  if (!name) throw invalidArgument(field, "is required");
  if (!COLLECTION_NAME.test(name)) {
    throw invalidArgument(field, "must be 1-64 characters of letters, digits, '_', '.' or '-', starting with a letter or digit");
  }
  return name;
}

/** A point id: non-empty, at most `maxIdBytes` UTF-8 bytes. */
export function checkPointId(field: string, id: string, limits: Limits): string {
  if (!id) throw invalidArgument(field, "is required");
  if (id.length > limits.maxIdBytes || utf8.encode(id).length > limits.maxIdBytes) {
    throw invalidArgument(field, `is longer than ${limits.maxIdBytes} bytes`);
  }
  return id;
}

/**
 * A payload index key: a key filters can name (checkFilterKey: at most 256 characters
 * and 16 dot-separated segments, none empty) with no NUL character, which the placement
 * database (Postgres text) cannot store. Checked before placement records the index: a
 * key the shards refuse would be recorded anyway and then fail every later sync of the
 * collection's replicas, leaving the collection unusable.
 */
export function checkPayloadIndexKey(field: string, key: string): string {
  checkFilterKey(field, key);
  if (key.includes("\u0000")) throw invalidArgument(field, "must not contain a NUL character");
  return key;
}

/** A list of ids for Get or Delete: 1..maxBatchPoints valid ids, duplicates removed. */
export function checkIds(field: string, ids: string[], limits: Limits): string[] {
  if (ids.length === 0) throw invalidArgument(field, "must not be empty");
  if (ids.length > limits.maxBatchPoints) {
    throw invalidArgument(field, `has ${ids.length} ids, the limit is ${limits.maxBatchPoints}`);
  }
  ids.forEach((id, i) => checkPointId(`${field}[${i}]`, id, limits));
  return [...new Set(ids)];
}

/**
 * A vector of the collection's dimension with only finite values, as float32.
 * Values beyond float32's range would become Infinity, so they are refused too.
 * (Dot products or distances of huge finite vectors may still overflow to Infinity.)
 */
export function checkVector(field: string, values: number[], dimension: number, distance: Distance): Float32Array {
  if (values.length !== dimension) {
    throw invalidArgument(field, `has ${values.length} dimensions, the collection has ${dimension}`);
  }
  const vector = Float32Array.from(values);
  for (let i = 0; i < vector.length; i++) {
    if (!Number.isFinite(vector[i])) throw invalidArgument(`${field}[${i}]`, "must be a finite number");
  }
  // The cosine of a zero vector is undefined; refusing it keeps scores meaningful.
  if (distance === Distance.COSINE && vector.every((x) => x === 0)) {
    throw invalidArgument(field, "must not be all zeros in a cosine collection");
  }
  return vector;
}

/**
 * How deep objects and arrays may nest in a payload (the payload object itself is level
 * 1). Over binary protobuf each level is a Struct or ListValue inside a Value, and
 * decoders stop at 100 nested messages (protobuf-es among them): a deeper payload could
 * be stored through Connect JSON but not read back by a binary or gRPC client.
 */
export const MAX_PAYLOAD_DEPTH = 32;

/**
 * A payload as the UTF-8 JSON bytes the worker stores; `{}` when absent. Numbers must be
 * finite: JSON has no NaN or Infinity, and JSON.stringify would silently store null.
 * Nesting is at most MAX_PAYLOAD_DEPTH levels.
 */
export function encodePayload(field: string, payload: object | undefined, limits: Limits): Uint8Array {
  if (payload) checkPayloadValue(field, payload, 1);
  const bytes = utf8.encode(payload ? JSON.stringify(payload) : "{}");
  if (bytes.length > limits.maxPayloadBytes) {
    throw invalidArgument(field, `is ${bytes.length} bytes as JSON, the limit is ${limits.maxPayloadBytes}`);
  }
  return bytes;
}

/** Finite numbers, and objects and arrays no deeper than MAX_PAYLOAD_DEPTH (`depth` is the value's level). */
function checkPayloadValue(path: string, value: unknown, depth: number): void {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw invalidArgument(path, "must be a finite number (JSON has no NaN or Infinity)");
    return;
  }
  if (value === null || typeof value !== "object") return;
  if (depth > MAX_PAYLOAD_DEPTH) {
    throw invalidArgument(path, `nests objects and arrays ${depth} levels deep in the payload, the limit is ${MAX_PAYLOAD_DEPTH}`);
  }
  if (Array.isArray(value)) value.forEach((item, i) => checkPayloadValue(`${path}[${i}]`, item, depth + 1));
  else for (const [key, item] of Object.entries(value)) checkPayloadValue(`${path}.${key}`, item, depth + 1);
}

/** A positive count with a default for 0 and an upper limit. */
export function checkCount(field: string, value: number, fallback: number, max: number): number {
  if (value === 0) return fallback;
  if (value > max) throw invalidArgument(field, `is ${value}, the limit is ${max}`);
  return value;
}

/** A read's consistency: one of the enum's values (an unknown number is refused, not read as strong). */
export function checkConsistency(field: string, value: ReadConsistency): ReadConsistency {
  if (!(value in ReadConsistency)) {
    throw invalidArgument(field, `must be READ_CONSISTENCY_STRONG or READ_CONSISTENCY_EVENTUAL (or unset), got ${value}`);
  }
  return value;
}
