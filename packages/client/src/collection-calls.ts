import type { Client } from "@connectrpc/connect";
import type { VectronService } from "@vectron/proto/v1";
import { checkInteger } from "./client-options.js";
import type { CreateCollectionInput } from "./collection-info.js";
import { collectionInfoOf, distanceOf, indexKindOf } from "./collection-messages.js";
import type { RpcCaller } from "./rpc-caller.js";
import type { VectronClient } from "./vectron-client.js";

type CollectionCalls = Pick<
  VectronClient,
  "createCollection" | "getCollection" | "listCollections" | "deleteCollection" | "createPayloadIndex" | "deletePayloadIndex"
>;

/**
 * The collection calls. Creating and deleting a collection are sent once: a retry after
 * a lost answer would fail with already_exists / not_found although the call worked.
 * Declaring or removing a payload index is idempotent, so it is retried.
 */
export function createCollectionCalls(vectron: Client<typeof VectronService>, call: RpcCaller): CollectionCalls {
  return {
    async createCollection(input, settings) {
      const request = createCollectionRequestOf(input);
      const response = await call("CreateCollection", "once", (o) => vectron.createCollection(request, o), settings);
      return collectionInfoOf(response.collection);
    },
    async getCollection(name, settings) {
      const response = await call("GetCollection", "idempotent", (o) => vectron.getCollection({ name }, o), settings);
      return collectionInfoOf(response.collection);
    },
    async listCollections(settings) {
      const response = await call("ListCollections", "idempotent", (o) => vectron.listCollections({}, o), settings);
      return response.collections.map(collectionInfoOf);
    },
    async deleteCollection(name, settings) {
      await call("DeleteCollection", "once", (o) => vectron.deleteCollection({ name }, o), settings);
    },
    async createPayloadIndex(collection, index, settings) {
      const request = { collection, index: { key: index.key, kind: indexKindOf(index.kind) } };
      const response = await call("CreatePayloadIndex", "idempotent", (o) => vectron.createPayloadIndex(request, o), settings);
      return collectionInfoOf(response.collection);
    },
    async deletePayloadIndex(collection, key, settings) {
      const response = await call("DeletePayloadIndex", "idempotent", (o) => vectron.deletePayloadIndex({ collection, key }, o), settings);
      return collectionInfoOf(response.collection);
    },
  };
}

function createCollectionRequestOf(input: CreateCollectionInput) {
  if (typeof input !== "object" || input === null || typeof input.name !== "string") {
    throw new TypeError("createCollection: pass { name, dimension, metric }, e.g. { name: 'docs', dimension: 384, metric: 'cosine' }");
  }
  checkInteger("createCollection: dimension", input.dimension, 1);
  if (input.shards !== undefined) checkInteger("createCollection: shards", input.shards, 1);
  if (input.replicationFactor !== undefined) checkInteger("createCollection: replicationFactor", input.replicationFactor, 1);
  return {
    name: input.name,
    dimension: input.dimension,
    distance: distanceOf(input.metric),
    shardCount: input.shards ?? 0,
    replicationFactor: input.replicationFactor ?? 0,
    payloadIndexes: (input.payloadIndexes ?? []).map((index) => ({ key: index.key, kind: indexKindOf(index.kind) })),
  };
}
