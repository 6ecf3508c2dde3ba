import type { JsonValue, Payload } from "@vectron/client";

/** Why a field is not acceptable, or undefined when it is; the caller names the line. */
export type FieldProblem = { field: string; reason: string } | undefined;

const MAX_ID_BYTES = 256;
const encoder = new TextEncoder();

/** An id as the server takes it: a string of 1–256 UTF-8 bytes. */
export function idProblem(id: unknown): FieldProblem {
  if (typeof id !== "string") return { field: "id", reason: `expected a string, got ${describe(id)}` };
  const bytes = encoder.encode(id).length;
  if (bytes === 0 || bytes > MAX_ID_BYTES) return { field: "id", reason: `must be 1-${MAX_ID_BYTES} UTF-8 bytes, is ${bytes}` };
  return undefined;
}

/** A vector of exactly `dimension` finite numbers. */
export function vectorProblem(vector: unknown, dimension: number, field = "vector"): FieldProblem {
  if (!Array.isArray(vector)) return { field, reason: `expected an array of ${dimension} numbers, got ${describe(vector)}` };
  if (vector.length !== dimension) return { field, reason: `has ${vector.length} numbers, the collection's dimension is ${dimension}` };
  const bad = vector.findIndex((x) => typeof x !== "number" || !Number.isFinite(x));
  if (bad !== -1) return { field: `${field}[${bad}]`, reason: `expected a finite number, got ${describe(vector[bad])}` };
  return undefined;
}

/** A payload: a JSON object (or absent). */
export function payloadProblem(payload: unknown): FieldProblem {
  if (payload === undefined || payload === null) return undefined;
  if (typeof payload !== "object" || Array.isArray(payload)) return { field: "payload", reason: `expected an object, got ${describe(payload)}` };
  return undefined;
}

/** The payload as the client takes it: absent and null become no payload. */
export function payloadOf(payload: unknown): Payload | undefined {
  return payload === undefined || payload === null ? undefined : (payload as { [key: string]: JsonValue });
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}
