import { create } from "@bufbuild/protobuf";
import { ReplicaRole } from "@vectron/proto/v1";
import {
  FenceShardResponseSchema,
  GetShardStatusResponseSchema,
  ReplicateResponseSchema,
  SyncPlacementResponseSchema,
} from "@vectron/proto/worker/v1";
import type { ReplicationEngine } from "./replication-engine";
import { shardKey } from "./shard-key";
import type { ShardOps } from "./shard-ops";
import type { WorkerApi } from "./worker-service";

/** The replication RPCs of WorkerService: Replicate, FenceShard, GetShardStatus, SyncPlacement. */
export function createReplicationRpcs(
  shards: ShardOps,
  replication: ReplicationEngine,
): Pick<WorkerApi, "replicate" | "fenceShard" | "getShardStatus" | "syncPlacement"> {
  return {
    async replicate(request) {
      const { applied, lastSeq } = await replication.replicate(request);
      return create(ReplicateResponseSchema, { applied, lastSeq: BigInt(lastSeq) });
    },

    async fenceShard(request) {
      const epoch = Number(request.shard?.epoch ?? 0n);
      const { logEpoch, consistentSeq, partial } = await replication.inTurn(request.shard, (control) => control.fence(epoch));
      return create(FenceShardResponseSchema, { logEpoch: BigInt(logEpoch), lastSeq: BigInt(consistentSeq), partial });
    },

    async getShardStatus(request) {
      const key = shardKey(request.shard);
      // The state and the sequences read together in the shard's turn, so they agree.
      const { control, state, lastSeq, consistentSeq, count } = await replication.inTurn(request.shard, async (control) => {
        const { lastSeq, count } = await shards.status(key);
        return { control, state: control.state, lastSeq, consistentSeq: control.consistentSeq(lastSeq), count };
      });
      return create(GetShardStatusResponseSchema, {
        promisedEpoch: BigInt(state.promisedEpoch),
        logEpoch: BigInt(state.logEpoch),
        lastSeq: BigInt(lastSeq),
        consistentSeq: BigInt(consistentSeq),
        role: replication.isActingPrimary(control) ? ReplicaRole.PRIMARY : ReplicaRole.FOLLOWER,
        pointCount: BigInt(count),
        // Outside the shard's turn: a digest reads every row and must not hold up replication.
        digest: request.withDigest ? await shards.digest(key) : "",
      });
    },

    async syncPlacement() {
      const { shards, creationFailure } = await replication.syncPlacement();
      // A replica placement asked for that could not be created: the caller undoes the create.
      if (creationFailure !== undefined) throw creationFailure;
      return create(SyncPlacementResponseSchema, { shards });
    },
  };
}
