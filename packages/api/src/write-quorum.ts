import type { CollectionPlacement } from "@vectron/proto/placement/v1";
import { invalidArgument } from "@vectron/rpc-errors";

/**
 * A write's quorum as asked (0: a majority of the replication factor, decided by the
 * primary): at most the collection's replication factor.
 */
export function checkWriteQuorum(asked: number, collection: CollectionPlacement): number {
  if (asked > collection.replicationFactor) {
    throw invalidArgument(
      "writeQuorum",
      `is ${asked} but collection ${collection.name} has ${collection.replicationFactor} replica(s) per shard`,
    );
  }
  return asked;
}
