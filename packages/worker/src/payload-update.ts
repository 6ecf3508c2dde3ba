import type { PointInput, StoredPoint } from "@vectron/shard-store";

/** How a payload update changes each point's payload. */
export type PayloadUpdate =
  | { mode: "merge"; payload: Record<string, unknown> }
  | { mode: "overwrite"; payload: Record<string, unknown> }
  | { mode: "delete-keys"; keys: string[] };

/**
 * The new versions of `points` (read with payload and vector) after the update: same
 * id and vector, new payload text. The caller commits them as upserts.
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
    return { id: point.id, vector: point.vector!, payload: JSON.stringify(next) };
  });
}
