import type { ContextFreeImpl } from "@vectron/local-client";
import { create } from "@bufbuild/protobuf";
import * as pb from "@vectron/proto/placement/v1";
import {
  createCollectionRecord,
  deleteCollectionRecord,
  deletePayloadIndexRecord,
  putPayloadIndexRecord,
  getCollectionRecord,
  listCollectionRecords,
} from "./collection-records";
import type { PlacementDeps } from "./placement-deps";
import { listWorkers, registerWorker, renewLease } from "./worker-leases";
import { listWorkerShards } from "./worker-shards";

/** The placement service over Postgres (or PGlite). Needs no handler context. */
export function createPlacementService(deps: PlacementDeps): ContextFreeImpl<typeof pb.PlacementService> {
  return {
    async registerWorker(request) {
      await registerWorker(deps, request.workerId, request.address);
      return create(pb.RegisterWorkerResponseSchema, { leaseMs: deps.leaseMs });
    },
    async heartbeat(request) {
      await renewLease(deps, request.workerId);
      return create(pb.HeartbeatResponseSchema, { leaseMs: deps.leaseMs });
    },
    async listWorkers() {
      return create(pb.ListWorkersResponseSchema, { workers: await listWorkers(deps) });
    },
    async createCollection(request) {
      return create(pb.CreateCollectionResponseSchema, { collection: await createCollectionRecord(deps, request) });
    },
    async getCollection(request) {
      const collection = await getCollectionRecord(deps, request.ownerId, request.name);
      return create(pb.GetCollectionResponseSchema, { collection });
    },
    async listCollections(request) {
      const collections = await listCollectionRecords(deps, request.ownerId);
      return create(pb.ListCollectionsResponseSchema, { collections });
    },
    async putPayloadIndex(request) {
      const collection = await putPayloadIndexRecord(deps, request.ownerId, request.name, request.index);
      return create(pb.PutPayloadIndexResponseSchema, { collection });
    },
    async deletePayloadIndex(request) {
      const collection = await deletePayloadIndexRecord(deps, request.ownerId, request.name, request.key);
      return create(pb.DeletePayloadIndexResponseSchema, { collection });
    },
    async listWorkerShards(request) {
      return create(pb.ListWorkerShardsResponseSchema, { shards: await listWorkerShards(deps, request.workerId) });
    },
    async deleteCollection(request) {
      const collection = await deleteCollectionRecord(deps, request.ownerId, request.name);
      return create(pb.DeleteCollectionResponseSchema, { collection });
    },
  };
}
