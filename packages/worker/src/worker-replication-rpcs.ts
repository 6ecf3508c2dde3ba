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
      const { logEpoch, lastSeq } = await replication.inTurn(request.shard, (control) => control.fence(epoch));
      return create(FenceShardResponseSchema, { logEpoch: BigInt(logEpoch), lastSeq: BigInt(lastSeq) });
    },

    async getShardStatus(request) {
      const key = shardKey(request.shard);
      // Outside the shard's turn: a digest reads every row and must not hold up replication.
      const control = await replication.inTurn(request.shard, async (control) => control);
      const { lastSeq, count } = await shards.status(key);
      return create(GetShardStatusResponseSchema, {
        promisedEpoch: BigInt(control.state.promisedEpoch),
        logEpoch: BigInt(control.state.logEpoch),
        lastSeq: BigInt(lastSeq),
        role: replication.isActingPrimary(control) ? ReplicaRole.PRIMARY : ReplicaRole.FOLLOWER,
        pointCount: BigInt(count),
        digest: request.withDigest ? await shards.digest(key) : "",
      });
    },

    async syncPlacement() {
      return create(SyncPlacementResponseSchema, { shards: await replication.syncPlacement() });
    },
  };
}
