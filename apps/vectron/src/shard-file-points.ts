import { Database } from "bun:sqlite";
import type { Payload, PointInput } from "@vectron/client";

/** The shard file formats (shard.format) this version reads. */
const READABLE_FORMATS = [1];

/**
 * The live points of a shard's SQLite file (a snapshot's `shard-<n>.sqlite`), opened
 * read-only, in id order, `batchSize` at a time: tombstones (rows without a vector) are
 * left out. Checks the file's format and dimension first.
 */
export function* shardFilePoints(path: string, dimension: number, batchSize: number): Generator<PointInput[]> {
  const db = new Database(path, { readonly: true, strict: true });
  try {
    const shard = db.query<{ format: number; dimension: number }, []>("SELECT format, dimension FROM shard WHERE singleton = 1").get();
    if (!shard) throw new Error(`${path}: not a shard file (it has no shard row)`);
    if (!READABLE_FORMATS.includes(shard.format)) throw new Error(`${path}: shard format ${shard.format}, this version reads ${READABLE_FORMATS.join(", ")}`);
    if (shard.dimension !== dimension) throw new Error(`${path}: dimension ${shard.dimension}, the snapshot's collection has ${dimension}`);
    const page = db.query<{ id: string; payload: string; vector: Uint8Array }, [string, number]>(
      "SELECT id, payload, vector FROM points WHERE id > ? AND vector IS NOT NULL ORDER BY id LIMIT ?",
    );
    for (let after = ""; ; ) {
      const rows = page.all(after, batchSize);
      if (rows.length === 0) return;
      yield rows.map((row) => ({
        id: row.id,
        // Little-endian float32, as the shard stores it; copied to an aligned buffer.
        vector: new Float32Array(Uint8Array.from(row.vector).buffer),
        payload: JSON.parse(row.payload) as Payload,
      }));
      after = rows[rows.length - 1]!.id;
    }
  } finally {
    db.close();
  }
}
