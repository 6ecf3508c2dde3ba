import type { WriteBatch, WrittenPoint } from "./cluster-workload";

/**
 * Writes a test makes one at a time, recorded as ClusterWorkload records its own
 * (acknowledged or unknown), so checkData checks them the same way.
 */
export class WriteLog {
  readonly batches: WriteBatch[] = [];
  acked(): WrittenPoint[] {
    return this.batches.filter((b) => b.outcome === "acked").flatMap((b) => b.points);
  }
  unknown(): WriteBatch[] {
    return this.batches.filter((b) => b.outcome === "unknown");
  }
}

/**
 * Batch `batch` of `size` new points on the 4,500 SIFT base rows, with ids and payloads
 * as ClusterWorkload makes them; `pad` lengthens each payload by that many characters.
 */
export function batchOf(batch: number, size: number, pad = 0): WrittenPoint[] {
  return Array.from({ length: size }, (_, i) => {
    const row = (batch * size + i) % 4500;
    return { id: `b${batch}-${i}`, row, payload: { batch, writer: 0, row, note: `point ${i} of batch ${batch}${"·".repeat(pad)}` } };
  });
}
