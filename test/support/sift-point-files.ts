import { writeFileSync } from "node:fs";
import type { StoredPoint, VectronClient } from "@vectron/client";
import { SIFT_DIMENSION, siftPayload, type SiftSet } from "@vectron/datasets";

/** A SIFT point as files hold it and the server gives it back (SIFT's features are integers). */
export interface FilePoint {
  id: string;
  vector: number[];
  payload: ReturnType<typeof siftPayload>;
}

/** The SIFT base set as points, ids prefixed with `idPrefix`, `copies` times over (distinct ids). */
export function siftFilePoints(sift: SiftSet, copies = 1): FilePoint[] {
  return Array.from({ length: copies }, (_, copy) =>
    sift.base.map((vector, i) => ({ id: `c${copy}-${sift.baseIds[i]}`, vector: Array.from(vector), payload: siftPayload(i, sift.baseIds[i]!) })),
  ).flat();
}

/** Writes points as JSONL, one `{"id","vector","payload"}` per line. */
export function writeJsonl(path: string, points: readonly FilePoint[]): void {
  writeFileSync(path, points.map((point) => `${JSON.stringify(point)}\n`).join(""));
}

/**
 * Writes points as CSV with columns id, v0..v127 and three payload columns: `bucket`
 * (a number), `label` (text with a comma, so quoted) and `even` (a boolean).
 */
export function writeSiftCsv(path: string, points: readonly FilePoint[]): void {
  const header = ["id", ...Array.from({ length: SIFT_DIMENSION }, (_, i) => `v${i}`), "bucket", "label", "even"].join(",");
  const rows = points.map((p) => [p.id, ...p.vector, p.payload.bucket, `"${p.payload.label}, row ${p.payload.row}"`, p.payload.even].join(","));
  writeFileSync(path, `${header}\n${rows.join("\n")}\n`);
}

/** Every point of a collection with vector and payload, in id order. */
export async function allPoints(client: VectronClient, collection: string): Promise<StoredPoint[]> {
  const points: StoredPoint[] = [];
  for await (const point of client.scroll(collection, { pageSize: 1000, withVector: true })) points.push(point);
  return points;
}

/** The same points sorted by id, as scroll returns them. */
export function byId<T extends { id: string }>(points: readonly T[]): T[] {
  return [...points].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
