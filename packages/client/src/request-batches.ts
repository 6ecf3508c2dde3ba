/** What a batch estimate reads of a point. */
export interface SizedPoint {
  id: string;
  vector: ArrayLike<number>;
  payload?: object;
}

/** Consecutive slices of `items` with at most `size` elements each (none for an empty array). */
export function slicesOf<T>(items: readonly T[], size: number): T[][] {
  const slices: T[][] = [];
  for (let start = 0; start < items.length; start += size) slices.push(items.slice(start, start + size));
  return slices;
}

/**
 * Consecutive slices of `points` for upsert requests: at most `maxPoints` points (the
 * server's batch limit) and, as far as an estimate tells, at most `maxBytes` bytes of
 * request body (the server refuses bodies beyond its limit, 64 MiB by default), so
 * that wide vectors or large payloads split into more requests. A point larger than
 * `maxBytes` on its own still gets its own request: the server has the last word.
 */
export function pointSlicesOf<P extends SizedPoint>(points: readonly P[], maxPoints: number, maxBytes: number, format: "binary" | "json"): P[][] {
  const slices: P[][] = [];
  let current: P[] = [];
  let bytes = 0;
  for (const point of points) {
    const size = estimatedBytes(point, format);
    if (current.length > 0 && (current.length >= maxPoints || bytes + size > maxBytes)) {
      slices.push(current);
      current = [];
      bytes = 0;
    }
    current.push(point);
    bytes += size;
  }
  if (current.length > 0) slices.push(current);
  return slices;
}

/**
 * An upper estimate of a point's encoded size: a float32 takes 4 bytes in protobuf and up
 * to ~24 characters in JSON (`-0.00012345678724348545,`); a payload's Struct encoding
 * is below twice its JSON; ids count 3 bytes per UTF-16 unit at most.
 */
function estimatedBytes(point: SizedPoint, format: "binary" | "json"): number {
  const dimension = point.vector?.length ?? 0;
  const payload = point.payload === undefined ? 0 : JSON.stringify(point.payload).length;
  const id = (point.id?.length ?? 0) * 3;
  return format === "binary" ? 16 + id + dimension * 4 + payload * 2 : 48 + id + dimension * 24 + payload * 2;
}
