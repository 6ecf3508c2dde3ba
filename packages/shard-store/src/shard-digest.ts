import type { Database } from "bun:sqlite";
import { createHash } from "node:crypto";

const utf8 = new TextEncoder();

/**
 * Hex SHA-256 over the live points in id (UTF-8 byte) order: for each, the id, the
 * vector bytes (little-endian float32) and the payload bytes (UTF-8 JSON), each preceded
 * by its length as a little-endian uint32. Equal digests mean equal content, whatever
 * sequence numbers the replicas gave it. Streams the rows (one at a time in memory).
 */
export function digestLivePoints(db: Database): string {
  const hash = createHash("sha256");
  const length = new Uint8Array(4);
  const view = new DataView(length.buffer);
  const part = (bytes: Uint8Array) => {
    view.setUint32(0, bytes.byteLength, true);
    hash.update(length);
    hash.update(bytes);
  };
  // BINARY collation on `id` is memcmp of the UTF-8 bytes: the byte order promised above.
  const rows = db.query<{ id: string; vector: Uint8Array; payload: string }, []>(
    "SELECT id, vector, payload FROM points WHERE vector IS NOT NULL ORDER BY id",
  );
  for (const row of rows.iterate()) {
    part(utf8.encode(row.id));
    part(row.vector);
    part(utf8.encode(row.payload));
  }
  return hash.digest("hex");
}
