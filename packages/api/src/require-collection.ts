import type { CollectionPlacement } from "@vectron/proto/placement/v1";

/** The collection of a placement response, which placement always sets on success. */
export function requireCollection(collection: CollectionPlacement | undefined): CollectionPlacement {
  if (!collection) throw new Error("placement answered without a collection");
  return collection;
}
