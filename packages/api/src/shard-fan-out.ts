import { Code } from "@connectrpc/connect";
import type { CollectionPlacement } from "@vectron/proto/placement/v1";
import { errorCodeOf } from "@vectron/rpc-errors";
import type { ReadConsistency } from "@vectron/proto/v1";
import type { ApiDeps } from "./api-deps";
import { onReadReplica, type ShardCall } from "./shard-call";

/** How a read reaches every shard, and which shards it had to leave out. */
export interface ShardFanOut {
  consistency: ReadConsistency;
  /** Answer from the shards that can answer instead of failing the whole read. */
  allowPartial: boolean;
  /** Shards left out (filled in when allowPartial). */
  missing: Set<number>;
}

/**
 * Scatter: one call per shard, in parallel, each on a replica the consistency allows.
 * A shard that cannot answer fails the read, or with allowPartial is recorded in
 * `fanOut.missing` and gives undefined.
 */
export async function onShards<T>(deps: ApiDeps, collection: CollectionPlacement, fanOut: ShardFanOut, call: ShardCall<T>): Promise<(T | undefined)[]> {
  return Promise.all(
    collection.shards.map(async ({ shardId }) => {
      try {
        return await onReadReplica(deps, collection, shardId, fanOut.consistency, call);
      } catch (err) {
        if (!fanOut.allowPartial || isClientError(err)) throw err;
        deps.log(`search of collection ${collection.name} left out shard ${shardId}`, err);
        fanOut.missing.add(shardId);
        return undefined;
      }
    }),
  );
}

/** Errors caused by the request itself stay errors even with allowPartial. */
function isClientError(err: unknown): boolean {
  return errorCodeOf(err) === Code.InvalidArgument;
}
