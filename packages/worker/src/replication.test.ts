import { afterEach, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import {
  ApplyWritesRequestSchema,
  CountPointsRequestSchema,
  FenceShardRequestSchema,
  GetPointsRequestSchema,
  GetShardStatusRequestSchema,
  ReplicateRequestSchema,
  type PointRecord,
} from "@vectron/proto/worker/v1";
import { ReplicaRole } from "@vectron/proto/v1";
import { collectionId, eventually, record, ReplicaState, TestCluster } from "./test-cluster";
import type { WorkerNode } from "./worker-node";

/**
 * Primary/follower replication between real worker nodes (real stores, real services,
 * in-process clients with cuttable links): write quorums, catch-up, epochs and fencing,
 * and what a demoted primary or a prefix follower does with its log.
 */

const { ACTIVE, SYNCING } = ReplicaState;
const three = { a: ACTIVE, b: ACTIVE, c: ACTIVE };
let cluster: TestCluster;
afterEach(async () => {
  await cluster?.closeAll();
});

const ref = (epoch: number) => ({ collectionId, shardId: 0, epoch: BigInt(epoch) });

function write(node: WorkerNode, epoch: number, upserts: PointRecord[], writeQuorum = 0, deletes: string[] = []) {
  return node.service.applyWrites(create(ApplyWritesRequestSchema, { shard: ref(epoch), upserts, deletes, writeQuorum }));
}

function fence(node: WorkerNode, epoch: number) {
  return node.service.fenceShard(create(FenceShardRequestSchema, { shard: ref(epoch) }));
}

async function status(node: WorkerNode) {
  const s = await node.service.getShardStatus(create(GetShardStatusRequestSchema, { shard: ref(0), withDigest: true }));
  return { ...s, lastSeq: Number(s.lastSeq), promisedEpoch: Number(s.promisedEpoch), logEpoch: Number(s.logEpoch) };
}

async function failure(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code?: string; message: string };
  }
  throw new Error("expected a failure");
}

async function startThree(options: ConstructorParameters<typeof TestCluster>[0] = {}) {
  cluster = new TestCluster(options);
  for (const id of ["a", "b", "c"]) await cluster.start(id);
  await cluster.place(1, "a", three);
  return { a: cluster.node("a"), b: cluster.node("b"), c: cluster.node("c") };
}

async function converged(nodes: WorkerNode[]): Promise<boolean> {
  const all = await Promise.all(nodes.map(status));
  return all.every((s) => s.digest === all[0]!.digest && s.lastSeq === all[0]!.lastSeq);
}

for (const shardThreads of [0, 1]) {
  test(`acknowledged writes are on the quorum they asked for, and followers converge (${shardThreads} shard threads)`, async () => {
    const { a, b, c } = await startThree({ shardThreads });
    for (let i = 0; i < 5; i++) {
      const ack = await write(a, 1, [record(`p${i}`, i), record(`q${i}`, -i)], 2, i > 0 ? [`q${i - 1}`] : []);
      const holding = (await Promise.all([a, b, c].map(status))).filter((s) => s.lastSeq >= Number(ack.lastSeq));
      expect(holding.length).toBeGreaterThanOrEqual(2);
    }
    const all = await write(a, 1, [record("all", 9)], 3);
    for (const node of [a, b, c]) expect((await status(node)).lastSeq).toBeGreaterThanOrEqual(Number(all.lastSeq));
    await eventually("every replica holds the same content", () => converged([a, b, c]));
    const statuses = await Promise.all([a, b, c].map(status));
    expect(statuses.map((s) => s.pointCount)).toEqual([7n, 7n, 7n]);
    expect(statuses.map((s) => s.role)).toEqual([ReplicaRole.PRIMARY, ReplicaRole.FOLLOWER, ReplicaRole.FOLLOWER]);
    // An eventual read on a follower sees the replicated data (payload index included).
    const count = await c.service.countPoints(create(CountPointsRequestSchema, { shard: ref(1), anyReplica: true }));
    expect(count.count).toBe(7n);
    const tooMany = await failure(write(a, 1, [record("x", 1)], 4));
    expect(tooMany).toMatchObject({ code: "invalid_argument", message: expect.stringContaining("write_quorum") });
  });
}

test("an unreachable follower does not block W=2, makes W=3 time out as UNAVAILABLE, and catches up once reachable", async () => {
  const { a, b, c } = await startThree({ writeQuorumTimeoutMs: 400 });
  await write(a, 1, [record("before", 1)], 3);
  cluster.cut("a", "c");
  for (let i = 0; i < 20; i++) await write(a, 1, [record(`w${i}`, i)], 2);
  const timedOut = await failure(write(a, 1, [record("needs-all", 1)], 3));
  expect(timedOut.code).toBe("unavailable");
  expect(timedOut.message).toContain("committed on the primary");
  expect((await status(c)).lastSeq).toBeLessThan((await status(a)).lastSeq);
  cluster.cut("a", "c", false);
  await eventually("the cut-off follower caught up", () => converged([a, b, c]));
  expect((await status(c)).pointCount).toBe(22n);
});

test("a follower that restarts keeps its data and catches up what it missed", async () => {
  const { a } = await startThree();
  await write(a, 1, [record("one", 1)], 3);
  await cluster.stop("c");
  await write(a, 1, [record("two", 2)], 2);
  const c = await cluster.start("c");
  // Roles come from placement again after a restart; the data and the promises stay.
  expect((await status(c)).promisedEpoch).toBe(1);
  await cluster.place(1, "a", three);
  await eventually("the restarted follower caught up", () => converged([a, cluster.node("b"), c]));
  expect((await status(c)).pointCount).toBe(2n);
});

test("writes and strong reads must carry the primary's epoch; followers take neither", async () => {
  const { a, b } = await startThree();
  await write(a, 1, [record("p", 1)], 3);
  const stale = await failure(write(a, 2, [record("p", 2)]));
  expect(stale).toMatchObject({ code: "failed_precondition", message: expect.stringMatching(/epoch 2.*epoch 1/) });
  const onFollower = await failure(write(b, 1, [record("p", 3)]));
  expect(onFollower).toMatchObject({ code: "failed_precondition", message: expect.stringContaining("not a primary") });
  const strongOnFollower = b.service.getPoints(create(GetPointsRequestSchema, { shard: ref(1), ids: ["p"] }));
  expect(await failure(strongOnFollower)).toMatchObject({ code: "failed_precondition" });
  const eventual = await b.service.getPoints(create(GetPointsRequestSchema, { shard: ref(0), ids: ["p"], withPayload: true, anyReplica: true }));
  expect(new TextDecoder().decode(eventual.points[0]!.payload)).toBe('{"x":1}');
  // With the lease expired, a strong read on the primary is confirmed by the followers...
  a.replication.noteLease(0, 400);
  const strong = await a.service.getPoints(create(GetPointsRequestSchema, { shard: ref(1), ids: ["p"] }));
  expect(strong.points.map((p) => p.id)).toEqual(["p"]);
  // ...and refused when none can be reached.
  cluster.cut("a", "b");
  cluster.cut("a", "c");
  const unconfirmed = await failure(a.service.getPoints(create(GetPointsRequestSchema, { shard: ref(1), ids: ["p"] })));
  expect(unconfirmed.code).toBe("unavailable");
});

test("FenceShard: a fenced primary refuses writes at once, a fenced follower refuses the old epoch's Replicate", async () => {
  const { a, b } = await startThree();
  const first = await write(a, 1, [record("p", 1)], 3);
  const fenced = await fence(a, 2);
  expect(fenced).toMatchObject({ logEpoch: 1n, lastSeq: first.lastSeq });
  expect(await failure(write(a, 1, [record("p", 2)]))).toMatchObject({ code: "failed_precondition" });
  expect((await status(a)).role).toBe(ReplicaRole.FOLLOWER);
  expect((await status(a)).promisedEpoch).toBe(2);
  // Idempotent, and an older epoch does not lower the promise.
  expect(await fence(a, 1)).toMatchObject({ logEpoch: 1n, lastSeq: first.lastSeq });
  expect((await status(a)).promisedEpoch).toBe(2);

  await fence(b, 2);
  const replicate = create(ReplicateRequestSchema, {
    shard: ref(1),
    primaryWorkerId: "a",
    baseEpoch: 0n,
    baseSeq: 0n,
    afterSeq: first.lastSeq,
    throughSeq: first.lastSeq,
  });
  expect(await failure(b.service.replicate(replicate))).toMatchObject({ code: "failed_precondition", message: expect.stringContaining("stale epoch") });
});

test("a primary whose followers promised a newer epoch steps down, failing the write waiting for them", async () => {
  const { a, b, c } = await startThree();
  await write(a, 1, [record("p", 1)], 3);
  await fence(b, 2);
  await fence(c, 2);
  const waiting = await failure(write(a, 1, [record("p", 2)], 2));
  expect(waiting).toMatchObject({ code: "failed_precondition", message: expect.stringContaining("stale epoch") });
  await eventually("the old primary stepped down", async () => (await status(a)).role === ReplicaRole.FOLLOWER);
  expect(await failure(write(a, 1, [record("p", 3)]))).toMatchObject({ code: "failed_precondition" });
});

test("a demoted primary holding an unacknowledged write empties itself and converges to the new primary", async () => {
  const { a, b, c } = await startThree({ writeQuorumTimeoutMs: 300 });
  await write(a, 1, [record("kept", 1), record("changed", 1)], 3);
  // A is cut off: its next write commits there only, and is never acknowledged.
  cluster.cut("a", "b");
  cluster.cut("a", "c");
  expect((await failure(write(a, 1, [record("divergent", 7)], 2))).code).toBe("unavailable");
  expect((await status(a)).pointCount).toBe(3n);

  // Failover as placement runs it: fence the survivors, then list B as primary of epoch 2.
  await fence(b, 2);
  await fence(c, 2);
  await cluster.place(2, "b", { a: SYNCING, b: ACTIVE, c: ACTIVE });
  await write(b, 2, [record("changed", 2), record("new", 3)], 2);
  expect((await status(a)).role).toBe(ReplicaRole.FOLLOWER);

  cluster.cut("a", "b", false);
  cluster.cut("a", "c", false);
  await eventually("the demoted primary converged", () => converged([a, b, c]));
  const read = () => a.service.getPoints(create(GetPointsRequestSchema, { shard: ref(0), ids: ["kept", "changed", "new", "divergent"], withPayload: true, anyReplica: true }));
  await eventually("the demoted primary serves eventual reads again", () => read().then(() => true, () => false));
  const points = await read();
  expect(points.points.map((p) => [p.id, new TextDecoder().decode(p.payload)])).toEqual([
    ["kept", '{"x":1}'],
    ["changed", '{"x":2}'],
    ["new", '{"x":3}'],
  ]);
  expect(cluster.logs.get("a")!.some((line) => line.includes("emptying"))).toBe(true);
  expect((await status(a)).logEpoch).toBe(2);
});

test("a follower holding a prefix of the new primary's log keeps its data and catches up", async () => {
  const { a, b, c } = await startThree();
  await write(a, 1, Array.from({ length: 10 }, (_, i) => record(`p${i}`, i)), 3);
  cluster.cut("a", "c");
  await write(a, 1, [record("only-a-b", 1)], 2);
  await eventually("b holds the last write", async () => (await status(b)).lastSeq === (await status(a)).lastSeq);
  const before = await status(c);
  expect(before.pointCount).toBe(10n);

  await fence(b, 2);
  await fence(c, 2);
  await cluster.stop("a");
  await cluster.place(2, "b", { a: ACTIVE, b: ACTIVE, c: ACTIVE });
  await write(b, 2, [record("epoch-2", 2)], 2);
  await eventually("the prefix follower caught up", () => converged([b, c]));
  expect((await status(c)).pointCount).toBe(12n);
  expect((await status(c)).logEpoch).toBe(2);
  // Kept, never emptied: it served eventual reads all along.
  expect(cluster.logs.get("c")!.some((line) => line.includes("emptying"))).toBe(false);
});

test("a new replica copies the shard from scratch, refuses eventual reads until caught up", async () => {
  cluster = new TestCluster();
  const a = await cluster.start("a");
  await cluster.place(1, "a", { a: ACTIVE });
  await write(a, 1, Array.from({ length: 30 }, (_, i) => record(`p${i}`, i)), 1, ["p0"]);
  const d = await cluster.start("d");
  cluster.cut("a", "d");
  await cluster.place(1, "a", { a: ACTIVE, d: SYNCING });
  const early = await failure(d.service.countPoints(create(CountPointsRequestSchema, { shard: ref(0), anyReplica: true })));
  expect(early.code).toBe("unavailable");
  cluster.cut("a", "d", false);
  await eventually("the new replica copied everything", () => converged([a, d]));
  await eventually("the new replica serves eventual reads", async () => {
    const counted = await d.service.countPoints(create(CountPointsRequestSchema, { shard: ref(0), anyReplica: true })).catch(() => undefined);
    return counted?.count === 29n;
  });
});

test("a single replica (RF 1) takes writes at W=1 and serves strong reads on its lease alone", async () => {
  cluster = new TestCluster();
  const a = await cluster.start("a");
  await cluster.place(1, "a", { a: ACTIVE });
  await write(a, 1, [record("p", 1)]);
  expect((await a.service.countPoints(create(CountPointsRequestSchema, { shard: ref(1) }))).count).toBe(1n);
  a.replication.noteLease(0, 400);
  expect((await failure(a.service.countPoints(create(CountPointsRequestSchema, { shard: ref(1) })))).code).toBe("unavailable");
  expect((await a.service.countPoints(create(CountPointsRequestSchema, { shard: ref(0), anyReplica: true }))).count).toBe(1n);
});

test("a replica placement no longer lists is dropped with its files; one it lists again starts empty", async () => {
  cluster = new TestCluster();
  const a = await cluster.start("a");
  await cluster.place(1, "a", { a: ACTIVE });
  await write(a, 1, [record("p", 1)]);
  expect(await a.replication.applyPlacement([])).toEqual({ shards: 0 });
  expect(await failure(status(a))).toMatchObject({ code: "not_found" });
  await cluster.place(3, "a", { a: ACTIVE });
  const fresh = await status(a);
  expect(fresh).toMatchObject({ pointCount: 0n, promisedEpoch: 3, logEpoch: 3, role: ReplicaRole.PRIMARY });
});
