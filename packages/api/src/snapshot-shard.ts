import type { SnapshotShardRequest } from "@vectron/proto/v1";
import type { SnapshotShardResponse } from "@vectron/proto/worker/v1";
import { invalidArgument } from "@vectron/rpc-errors";
import type { ApiDeps } from "./api-deps";
import { onPrimary } from "./shard-call";
import { checkCollectionName } from "./validate-input";

/**
 * SnapshotShard: a consistent copy of one shard's SQLite database, made and streamed by
 * the worker holding the shard's primary. The collection is resolved by its owner like
 * every call, so another user's is `not_found`. Until the first chunk arrives the call
 * is rerouted like a strong read (the primary moved, or could not be reached); after
 * that, a failure ends the stream with the error and the caller asks again.
 */
export async function* snapshotShard(
  deps: ApiDeps,
  ownerId: string,
  request: SnapshotShardRequest,
  call: { signal: AbortSignal; timeoutMs: number | undefined },
): AsyncGenerator<{ data: Uint8Array; totalBytes: bigint; lastSeq: bigint; pointCount: bigint }> {
  const name = checkCollectionName("collection", request.collection);
  const collection = await deps.collections.resolve(ownerId, name);
  if (request.shard >= collection.shardCount) {
    throw invalidArgument("shard", `is ${request.shard}; collection ${name} has shards 0 to ${collection.shardCount - 1}`);
  }
  const { first, rest } = await onPrimary(
    deps,
    collection,
    request.shard,
    async (worker, shard) => {
      // The whole stream runs within the public call's deadline, not a read's 5 s.
      const stream = worker.snapshotShard({ shard }, call)[Symbol.asyncIterator]();
      const first = await stream.next();
      return { first, rest: stream };
    },
    true,
  );
  try {
    if (first.done) return;
    yield chunkOf(first.value);
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield chunkOf(next.value);
  } finally {
    // The client went away: the worker's stream ends too, and deletes its copy.
    await rest.return?.();
  }
}

function chunkOf(message: SnapshotShardResponse) {
  return { data: message.data, totalBytes: message.totalBytes, lastSeq: message.lastSeq, pointCount: message.pointCount };
}
