import type { Client } from "@connectrpc/connect";
import type { VectronService } from "@vectron/proto/v1";
import { checkInteger } from "./client-options.js";
import { clientErrorOf } from "./client-error-of.js";
import type { CallSettings } from "./rpc-caller.js";
import type { ShardSnapshotChunk } from "./shard-snapshot-chunk.js";

/**
 * Default deadline of a whole snapshot stream: an hour, which the server lowers to its
 * own maximum (VECTRON_MAX_DEADLINE_MS).
 */
export const SNAPSHOT_TIMEOUT_MS = 3_600_000;

/**
 * snapshotShard: streams a consistent copy of one shard's SQLite database. Sent once,
 * never retried (a retry would restart the file): a failure ends the iteration with a
 * VectronClientError, and the caller starts again.
 */
export function createShardSnapshot(vectron: Client<typeof VectronService>) {
  return async function* snapshotShard(collection: string, shard: number, settings: CallSettings = {}): AsyncGenerator<ShardSnapshotChunk> {
    checkInteger("snapshotShard: shard", shard, 0);
    const timeoutMs = settings.timeoutMs ?? SNAPSHOT_TIMEOUT_MS;
    const stream = vectron.snapshotShard({ collection, shard }, { timeoutMs: timeoutMs || undefined, signal: settings.signal });
    try {
      for await (const chunk of stream) {
        yield { data: chunk.data, totalBytes: Number(chunk.totalBytes), lastSeq: Number(chunk.lastSeq), pointCount: Number(chunk.pointCount) };
      }
    } catch (err) {
      throw clientErrorOf(err, "SnapshotShard");
    }
  };
}
