import type { RenderedJsonOptions } from "@vectron/prerendered-json";

/** A search hit as its JSON is written: the payload as the stored JSON bytes, or absent. */
export interface HitJson {
  id: string;
  score: number;
  /**
   * The stored payload (UTF-8 JSON object, as Upsert wrote it with JSON.stringify; empty
   * means {}); undefined when not returned. Decoded only if the JSON is rendered.
   */
  payload: Uint8Array | undefined;
  vector: readonly number[];
}

const fromUtf8 = new TextDecoder();

/**
 * proto3 JSON of a list of ScoredPoint, exactly as protobuf-es's toJsonString writes it
 * with the server's options (lowerCamelCase names, implicit fields emitted): field order
 * id, score, payload, vector; an unset payload omitted. The payload text is spliced in
 * as stored: Upsert stored JSON.stringify's output, which is what a Struct's JSON
 * re-encodes to. Pinned byte for byte against the generic encoder by the API suite.
 */
export function scoredPointsJson(hits: readonly HitJson[]): string {
  let out = "[";
  for (let i = 0; i < hits.length; i++) {
    const hit = hits[i]!;
    if (i > 0) out += ",";
    out += `{"id":${JSON.stringify(hit.id)},"score":${floatJson(hit.score)}`;
    if (hit.payload !== undefined) out += `,"payload":${hit.payload.length ? fromUtf8.decode(hit.payload) : "{}"}`;
    out += `,"vector":[${hit.vector.map(floatJson).join(",")}]}`;
  }
  return `${out}]`;
}

/** Whether a rendering written for the server's JSON options applies. */
export function rendersWith(options: RenderedJsonOptions): boolean {
  return options.alwaysEmitImplicit === true && !options.useProtoFieldName;
}

/** A float as proto3 JSON: a number, or the strings protobuf-es writes for the non-finite ones. */
function floatJson(value: number): string {
  if (Number.isFinite(value)) return JSON.stringify(value);
  return Number.isNaN(value) ? '"NaN"' : value > 0 ? '"Infinity"' : '"-Infinity"';
}
