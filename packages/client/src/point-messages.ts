import { ReadConsistency, type Point, type ScoredPoint } from "@vectron/proto/v1";
import type { Consistency, Payload, PointInput, SearchHit, StoredPoint, Vector } from "./points.js";

/** The proto ReadConsistency of a consistency (UNSPECIFIED, the server's default, when absent). */
export function readConsistencyOf(consistency: Consistency | undefined): ReadConsistency {
  if (consistency === undefined) return ReadConsistency.UNSPECIFIED;
  if (consistency === "strong") return ReadConsistency.STRONG;
  if (consistency === "eventual") return ReadConsistency.EVENTUAL;
  throw new TypeError(`consistency must be "strong" or "eventual", got ${String(consistency)}`);
}

/** A vector as the generated messages hold it (float32 values widen exactly to numbers). */
export function vectorArrayOf(vector: Vector, field: string): number[] {
  if (vector instanceof Float32Array) return Array.from(vector);
  if (!Array.isArray(vector)) throw new TypeError(`${field} must be a number[] or a Float32Array`);
  return vector;
}

/** The proto init of a point to upsert. */
export function pointInitOf(point: PointInput, index: number): { id: string; vector: number[]; payload?: Payload } {
  if (typeof point?.id !== "string") throw new TypeError(`points[${index}].id must be a string`);
  const payload = point.payload;
  if (payload !== undefined && (typeof payload !== "object" || payload === null || Array.isArray(payload))) {
    throw new TypeError(`points[${index}].payload must be a JSON object`);
  }
  return { id: point.id, vector: vectorArrayOf(point.vector, `points[${index}].vector`), payload };
}

/** The plain object of a stored point; an empty vector (not asked for) is left out. */
export function storedPointOf(point: Point): StoredPoint {
  const stored: StoredPoint = { id: point.id };
  if (point.vector.length > 0) stored.vector = point.vector;
  if (point.payload !== undefined) stored.payload = point.payload as Payload;
  return stored;
}

/** The plain object of a search result; an empty vector (not asked for) is left out. */
export function searchHitOf(hit: ScoredPoint): SearchHit {
  const result: SearchHit = { id: hit.id, score: hit.score };
  if (hit.payload !== undefined) result.payload = hit.payload as Payload;
  if (hit.vector.length > 0) result.vector = hit.vector;
  return result;
}
