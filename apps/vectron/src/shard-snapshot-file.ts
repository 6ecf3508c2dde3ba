import { createHash } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import type { VectronClient } from "@vectron/client";
import type { SnapshotFile } from "./snapshot-manifest";

/** A shard's copy as saved: the file's size and SHA-256, and the shard's state in it. */
export interface SavedShard extends SnapshotFile {
  lastSeq: number;
  points: number;
}

/**
 * Streams a consistent copy of one shard's SQLite database (client.snapshotShard) into
 * `path`: written to `<path>.part`, checked against the size the server announced,
 * fsynced, then renamed, so `path` is only ever a whole copy.
 */
export async function saveShardSnapshot(client: VectronClient, collection: string, shard: number, path: string): Promise<SavedShard> {
  const partial = `${path}.part`;
  const fd = openSync(partial, "w");
  const hash = createHash("sha256");
  let bytes = 0;
  let described: { totalBytes: number; lastSeq: number; pointCount: number } | undefined;
  try {
    for await (const chunk of client.snapshotShard(collection, shard)) {
      described ??= chunk;
      for (let at = 0; at < chunk.data.length; ) at += writeSync(fd, chunk.data, at);
      hash.update(chunk.data);
      bytes += chunk.data.length;
    }
    if (!described || bytes !== described.totalBytes) {
      throw new Error(`shard ${shard} of ${collection}: received ${bytes} bytes of ${described?.totalBytes ?? "?"}`);
    }
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(partial, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(partial, path);
  return { bytes, sha256: hash.digest("hex"), lastSeq: described.lastSeq, points: described.pointCount };
}
