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
import { recordedLeader } from "./leader-record";
import type { PlacementDeps } from "./placement-deps";
import { reportReplicaInSync } from "./report-replica-in-sync";
import { setWorkerDraining } from "./worker-draining";
import { listWorkers, registerWorker, renewLease } from "./worker-leases";
import { listWorkerShards } from "./worker-shards";

/**
 * The placement service over Postgres (or PGlite). Needs no handler context. Every RPC
 * is a database transaction, so any placement process serves them all; only the leader
 * (startPlacementLeadership) runs the control loop.
 */
export function createPlacementService(deps: PlacementDeps): ContextFreeImpl<typeof pb.PlacementService> {
  return {
    async registerWorker(request) {
      await registerWorker(deps, request.workerId, request.address);
      return create(pb.RegisterWorkerResponseSchema, { leaseMs: deps.leaseMs });
    },
    async heartbeat(request) {
      const { lapsed } = await renewLease(deps, request.workerId);
      return create(pb.HeartbeatResponseSchema, { leaseMs: deps.leaseMs, leaseLapsed: lapsed });
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
    async reportReplicaInSync(request) {
      await reportReplicaInSync(deps, request);
      return create(pb.ReportReplicaInSyncResponseSchema, {});
    },
    async setWorkerDraining(request) {
      const worker = await setWorkerDraining(deps, request.workerId, request.draining);
      return create(pb.SetWorkerDrainingResponseSchema, { worker });
    },
    async getPlacementStatus() {
      return create(pb.GetPlacementStatusResponseSchema, {
        nodeId: deps.leadership?.nodeId ?? "",
        leading: deps.leadership?.isLeading() ?? false,
        leaderNodeId: await recordedLeader(deps.db),
      });
    },
  };
}
