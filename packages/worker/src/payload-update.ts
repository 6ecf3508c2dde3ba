import type { PointInput, StoredPoint } from "@vectron/shard-store";

import { invalidArgument } from "@vectron/rpc-errors";

/** How a payload update changes each point's payload; `maxBytes` (0: none) bounds the result. */
export type PayloadUpdate = { maxBytes: number } & (
  | { mode: "merge"; payload: Record<string, unknown> }
  | { mode: "overwrite"; payload: Record<string, unknown> }
  | { mode: "delete-keys"; keys: string[] }
);

/**
 * The new versions of `points` (read with payload and vector) after the update: same
 * id and vector, new payload text. The caller commits them as upserts. Throws, writing
 * nothing, if any payload would grow past the limit.
 */
export function updatedPoints(points: StoredPoint[], update: PayloadUpdate): PointInput[] {
  return points.map((point) => {
    const current = JSON.parse(point.payload ?? "{}") as Record<string, unknown>;
    let next: Record<string, unknown>;
    if (update.mode === "overwrite") next = update.payload;
    else if (update.mode === "merge") next = { ...current, ...update.payload };
    else {
      next = { ...current };
      for (const key of update.keys) delete next[key];
    }
    const payload = JSON.stringify(next);
    if (update.maxBytes > 0 && Buffer.byteLength(payload) > update.maxBytes) {
      throw invalidArgument("payload", `would make point ${JSON.stringify(point.id)}'s payload ${Buffer.byteLength(payload)} bytes, the limit is ${update.maxBytes}`);
    }
    return { id: point.id, vector: point.vector!, payload };
  });
}
