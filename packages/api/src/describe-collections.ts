import { ReadConsistency, type Collection, type GetCollectionRequest } from "@vectron/proto/v1";
import type { ApiDeps } from "./api-deps";
import { countPoints } from "./count-points";
import { requireCollection } from "./require-collection";
import { toCollectionMessage } from "./to-collection-message";
import { checkCollectionName } from "./validate-input";

/**
 * GetCollection: the collection with its shard map (replicas, roles, states, epochs) and
 * a point count read from any active replica (eventual), so it answers during a failover.
 */
export async function getCollection(deps: ApiDeps, ownerId: string, request: GetCollectionRequest): Promise<Collection> {
  const name = checkCollectionName("name", request.name);
  const collection = requireCollection((await deps.placement.getCollection({ ownerId, name })).collection);
  return toCollectionMessage(collection, await countPoints(deps, collection, undefined, ReadConsistency.EVENTUAL));
}

/** ListCollections: the caller's collections by name, with point counts. */
export async function listCollections(deps: ApiDeps, ownerId: string): Promise<Collection[]> {
  const { collections } = await deps.placement.listCollections({ ownerId });
  return Promise.all(collections.map(async (c) => toCollectionMessage(c, await countPoints(deps, c, undefined, ReadConsistency.EVENTUAL))));
}
