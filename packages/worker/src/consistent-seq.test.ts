import { afterEach, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import {
  ApplyWritesRequestSchema,
  FenceShardRequestSchema,
  GetPointsRequestSchema,
  GetShardStatusRequestSchema,
  type PointRecord,
  type ReplicateRequest,
  type ReplicateResponse,
} from "@vectron/proto/worker/v1";
import { collectionId, eventually, record, ReplicaState, TestCluster } from "./test-cluster";
import type { WorkerNode } from "./worker-node";

/**
 * A follower copying pages that do not reach the primary's end holds a state the primary
 * never had: FenceShard (what placement promotes by) must report the last sequence up to
 * which it holds exactly a state of the primary's log, across a restart too.
 */

const { ACTIVE } = ReplicaState;
const three = { a: ACTIVE, b: ACTIVE, c: ACTIVE };
let cluster: TestCluster;
afterEach(async () => {
  await cluster?.closeAll();
});

const ref = (epoch: number) => ({ collectionId, shardId: 0, epoch: BigInt(epoch) });

async function write(node: WorkerNode, upserts: PointRecord[], writeQuorum: number): Promise<number> {
  const ack = await node.service.applyWrites(create(ApplyWritesRequestSchema, { shard: ref(1), upserts, writeQuorum }));
  return Number(ack.lastSeq);
}

/** FenceShard at the current epoch: promises nothing new, answers what placement compares. */
async function fencedSeq(node: WorkerNode): Promise<number> {
  return Number((await node.service.fenceShard(create(FenceShardRequestSchema, { shard: ref(1) }))).lastSeq);
}

async function sequences(node: WorkerNode): Promise<{ lastSeq: number; consistentSeq: number; digest: string }> {
  const s = await node.service.getShardStatus(create(GetShardStatusRequestSchema, { shard: ref(0), withDigest: true }));
  return { lastSeq: Number(s.lastSeq), consistentSeq: Number(s.consistentSeq), digest: s.digest };
}

async function xOf(node: WorkerNode, id: string): Promise<number> {
  const read = await node.service.getPoints(create(GetPointsRequestSchema, { shard: ref(0), ids: [id], withPayload: true, anyReplica: true }));
  return (JSON.parse(new TextDecoder().decode(read.points[0]!.payload)) as { x: number }).x;
}

/** Heals the link from `primary` to `follower` until the follower has applied one page short of the primary's end, then cuts it again. */
function letOnePartialPageThrough(primary: string, follower: string): void {
  cluster.onAnswered = (call) => {
    const request = call.request as ReplicateRequest;
    if (call.to !== follower || call.method !== "replicate" || !(call.response as ReplicateResponse).applied || request.atPrimaryEnd) return;
    cluster.cut(primary, follower);
    cluster.onAnswered = undefined;
  };
  cluster.cut(primary, follower, false);
}

test("a follower mid-copy is fenced at its consistent sequence, not its last, also after a restart; once caught up they are equal", async () => {
  cluster = new TestCluster({ maxChangesPerReplicate: 8 });
  for (const id of ["a", "b", "c"]) await cluster.start(id);
  await cluster.place(1, "a", three);
  const a = cluster.node("a");
  const b = cluster.node("b");
  const before = await write(a, [record("k", 1), record("p", 1)], 3);

  // C falls behind; B acknowledges k = 2 (W=2) at `acked`.
  cluster.cut("a", "c");
  const acked = await write(a, [record("k", 2)], 2);
  // Then B is cut off too, and the primary alone takes 40 new ids in commits of 4, then
  // overwrites k: k's acknowledged version is no longer in the log.
  cluster.cut("a", "b");
  for (let i = 0; i < 40; i += 4) await write(a, [0, 1, 2, 3].map((j) => record(`q${i + j}`, i + j)), 1);
  await write(a, [record("k", 3)], 1);

  // C gets exactly one page (8 of the 41 changes after `before`), then is cut off again.
  letOnePartialPageThrough("a", "c");
  await eventually("c applied a page short of the primary's end", async () => (await sequences(cluster.node("c"))).lastSeq > before);
  // Overwrites during the catch-up, of ids C now holds.
  await write(a, [record("q0", 100), record("q1", 101)], 1);

  const midCopy = async (c: WorkerNode) => {
    const held = await sequences(c);
    // Past the write B acknowledged, yet without it: k is still 1 there.
    expect(held.lastSeq).toBe(acked + 8);
    expect(await xOf(c, "k")).toBe(1);
    expect(held.consistentSeq).toBe(before);
    expect(await fencedSeq(c)).toBe(before);
    // So placement, promoting the highest fenced sequence, picks B, which holds k = 2.
    expect(await fencedSeq(b)).toBe(acked);
    expect(await xOf(b, "k")).toBe(2);
  };
  await midCopy(cluster.node("c"));
  await cluster.stop("c");
  await midCopy(await cluster.start("c"));

  cluster.cut("a", "b", false);
  cluster.cut("a", "c", false);
  await cluster.place(1, "a", three);
  const end = (await sequences(a)).lastSeq;
  await eventually("every replica caught up", async () => {
    const all = await Promise.all([a, b, cluster.node("c")].map(sequences));
    return all.every((s) => s.lastSeq === end && s.digest === all[0]!.digest);
  });
  for (const node of [a, b, cluster.node("c")]) {
    expect(await sequences(node)).toMatchObject({ lastSeq: end, consistentSeq: end });
    expect(await fencedSeq(node)).toBe(end);
  }
  expect(await xOf(cluster.node("c"), "k")).toBe(3);
  expect(await xOf(cluster.node("c"), "q0")).toBe(100);
});

test("a follower mid-copy is not a prefix of the new primary's log: it empties itself and copies, rather than keep a hole", async () => {
  cluster = new TestCluster({ maxChangesPerReplicate: 8 });
  for (const id of ["a", "b", "c"]) await cluster.start(id);
  await cluster.place(1, "a", three);
  const a = cluster.node("a");
  await write(a, [record("k", 1)], 3);
  // C falls behind while B takes 40 new ids with the primary.
  cluster.cut("a", "c");
  for (let i = 0; i < 40; i += 4) await write(a, [0, 1, 2, 3].map((j) => record(`q${i + j}`, i + j)), 2);
  // Only the old primary then overwrites q0: its newest version is past anything B has.
  cluster.cut("a", "b");
  await write(a, [record("q0", 100)], 1);
  // C copies one page from A: it skips q0 (its newest version lies past the page).
  letOnePartialPageThrough("a", "c");
  const c = cluster.node("c");
  await eventually("c applied a page short of the primary's end", async () => (await sequences(c)).lastSeq > (await sequences(c)).consistentSeq);
  const fenced = await c.service.fenceShard(create(FenceShardRequestSchema, { shard: ref(2) }));
  expect(fenced.partial).toBe(true);

  // A is lost; B (holding everything up to A's unreplicated tail) leads epoch 2. C's last
  // sequence is below B's, yet it lacks q0 entirely: it must not keep its data.
  await cluster.stop("a");
  await cluster.place(2, "b", { b: ACTIVE, c: ACTIVE });
  const b = cluster.node("b");
  await eventually("c converged to the new primary", async () => {
    const [sb, sc] = await Promise.all([sequences(b), sequences(c)]);
    return sb.digest === sc.digest && sb.lastSeq === sc.lastSeq;
  });
  // Once the primary's next ping marks the copy complete, C serves reads again.
  await eventually("c serves eventual reads", () => xOf(c, "q0").then(() => true, () => false));
  expect(await xOf(c, "q0")).toBe(0);
  expect(await xOf(c, "q39")).toBe(39);
});
