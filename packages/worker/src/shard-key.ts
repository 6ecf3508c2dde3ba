import { invalidArgument } from "@vectron/rpc-errors";
import type { ShardRef } from "@vectron/proto/worker/v1";

/** `<collectionId>/<shardId>`; also the shard's directory under the worker's data dir. */
export function shardKey(ref: ShardRef | undefined): string {
  if (!ref || !ref.collectionId) throw invalidArgument("shard.collectionId", "is required");
  // Collection ids are generated UUIDs; refusing anything else keeps paths inside the data dir.
  if (!/^[0-9a-f-]{36}$/.test(ref.collectionId)) {
    throw invalidArgument("shard.collectionId", "must be a UUID");
  }
  return `${ref.collectionId}/${ref.shardId}`;
}
