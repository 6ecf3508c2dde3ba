import { afterEach, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { Distance } from "@vectron/proto/v1";
import {
  ApplyWritesRequestSchema,
  CountPointsRequestSchema,
  OpenShardRequestSchema,
  PointRecordSchema,
} from "@vectron/proto/worker/v1";
import { float32ToBytes } from "@vectron/vector-bytes";
import { ReplicaState, TestCluster } from "./test-cluster";
import type { WorkerNode } from "./worker-node";

/** ApplyWrites through the worker service, which routes writes through the shard's queue. */

const shard = { collectionId: "0b5c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d", shardId: 0, epoch: 1n };
let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.closeAll();
});

/** One worker, primary (RF 1) of the shard at epoch 1, opened first by OpenShard as at collection creation. */
async function startNode(shardThreads: number): Promise<WorkerNode> {
  cluster = new TestCluster({ shardThreads });
  const node = await cluster.start("solo");
  await node.service.openShard(
    create(OpenShardRequestSchema, { spec: { shard, dimension: 2, distance: Distance.EUCLIDEAN } }),
  );
  await cluster.place(1, "solo", { solo: ReplicaState.ACTIVE });
  return node;
}

const record = (id: string, x: number, dims = 2) =>
  create(PointRecordSchema, { id, vector: float32ToBytes(new Float32Array(dims).fill(x)) });
const writes = (upserts: ReturnType<typeof record>[], deletes: string[] = []) =>
  create(ApplyWritesRequestSchema, { shard, upserts, deletes });

for (const shardThreads of [0, 2]) {
  test(`concurrent ApplyWrites each get their own counts, a bad one fails alone (${shardThreads} shard threads)`, async () => {
    const { service } = await startNode(shardThreads);
    const settled = await Promise.allSettled([
      service.applyWrites(writes([record("a", 1), record("b", 1)])),
      service.applyWrites(writes([record("bad", 1, 3)])),
      service.applyWrites(writes([], ["a", "missing"])),
      service.applyWrites(writes([record("a", 2)])),
    ]);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
    const counts = settled.flatMap((s) => (s.status === "fulfilled" ? [[s.value.upserted, s.value.deleted]] : []));
    expect(counts).toEqual([[2, 0], [0, 1], [1, 0]]);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ code: "invalid_argument" });
    // One shared commit: every acknowledged request reports the same sequence.
    const seqs = new Set(settled.flatMap((s) => (s.status === "fulfilled" ? [s.value.lastSeq] : [])));
    expect(seqs.size).toBe(1);
    const count = await service.countPoints(create(CountPointsRequestSchema, { shard }));
    expect(count.count).toBe(2n);
  });
}
