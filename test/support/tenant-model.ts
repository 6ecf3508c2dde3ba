import type { JsonObject } from "@bufbuild/protobuf";
import { Distance, PayloadIndexKind } from "@vectron/proto/v1";

/** A point as its owner wrote it. */
export interface ModelPoint {
  vector: number[];
  payload: JsonObject;
}

export interface ModelCollection {
  dimension: number;
  distance: Distance;
  shardCount: number;
  points: Map<string, ModelPoint>;
  indexes: Map<string, PayloadIndexKind>;
}

/**
 * What one user has, as that user wrote it: its collections and their points and payload
 * indexes. Every answer the user gets is compared with it, so anything of another user's
 * that showed up (or anything another user changed) is a mismatch.
 */
export class TenantModel {
  readonly collections = new Map<string, ModelCollection>();

  /** `marker` is in every payload this user writes: no other user may ever see it. */
  constructor(
    readonly label: string,
    readonly marker: string,
  ) {}

  payload(n: number): JsonObject {
    return { owner: this.marker, n, tag: `t${n % 3}` };
  }

  /** Collection names in the order the API lists them. */
  names(): string[] {
    return [...this.collections.keys()].sort();
  }
}

/**
 * A vector of multiples of 1/4 (exact in float32, so read-backs compare equal) that is
 * never all zeros (cosine collections refuse those).
 */
export function modelVector(seed: number, dimension: number): number[] {
  const vector: number[] = Array.from({ length: dimension }, (_, d) => (((seed * 7 + d * 5) % 9) - 4) / 4);
  if (!vector.some((x) => x !== 0)) vector[0] = 0.25;
  return vector;
}

/** The score the API reports (similarity for cosine and dot, distance for Euclidean). */
export function modelScore(distance: Distance, a: number[], b: number[]): number {
  const dot = a.reduce((sum, x, i) => sum + x * b[i]!, 0);
  if (distance === Distance.DOT) return dot;
  if (distance === Distance.EUCLIDEAN) return Math.sqrt(a.reduce((sum, x, i) => sum + (x - b[i]!) ** 2, 0));
  const norm = (v: number[]) => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
  return dot / (norm(a) * norm(b));
}

/** Best first: descending similarity, ascending distance. */
export function bestFirst(distance: Distance): (a: number, b: number) => number {
  return distance === Distance.EUCLIDEAN ? (a, b) => a - b : (a, b) => b - a;
}

/** Ids whose payload has a number `n` of at least `atLeast` (the filter the actions use). */
export function matchingIds(collection: ModelCollection, atLeast: number | undefined): string[] {
  return [...collection.points].filter(([, p]) => atLeast === undefined || (typeof p.payload.n === "number" && p.payload.n >= atLeast)).map(([id]) => id);
}

/** Ids in the order Scroll pages through them (UTF-8 byte order). */
export function scrollOrder(ids: Iterable<string>): string[] {
  return [...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}
