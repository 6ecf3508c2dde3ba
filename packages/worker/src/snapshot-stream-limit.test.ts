import { afterEach, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { Distance } from "@vectron/proto/v1";
import { ApplyWritesRequestSchema, OpenShardRequestSchema, SnapshotShardRequestSchema } from "@vectron/proto/worker/v1";
import { existsSync, readdirSync } from "node:fs";
import { shardCopiesDirOf } from "./shard-copy";
import { ReplicaState, TestCluster, collectionId, dimension, record } from "./test-cluster";
import type { WorkerNode } from "./worker-node";

/** SnapshotShard through the worker service: copies bounded per shard and per worker. */

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.closeAll();
  cluster = undefined;
});

const shardRef = (shardId: number) => ({ collectionId, shardId, epoch: 1n });

/** One worker, primary of shards 0..shards-1 (RF 1), each holding a few points. */
async function startNode(shards: number, maxSnapshotStreams?: number): Promise<{ node: WorkerNode; copiesDir: string }> {
  cluster = new TestCluster({ maxSnapshotStreams });
  const node = await cluster.start("solo");
  const ids = Array.from({ length: shards }, (_, shardId) => shardId);
  for (const shardId of ids) {
    const spec = { shard: shardRef(shardId), dimension, distance: Distance.EUCLIDEAN };
    await node.service.openShard(create(OpenShardRequestSchema, { spec }));
  }
  // One listing of every shard: a placement read replaces the whole list.
  await node.replication.applyPlacement(ids.flatMap((shardId) => cluster!.listings(1, "solo", { solo: ReplicaState.ACTIVE }, shardId).get("solo")!));
  for (const shardId of ids) {
    const upserts = [record(`a${shardId}`, 1), record(`b${shardId}`, 2)];
    await node.service.applyWrites(create(ApplyWritesRequestSchema, { shard: shardRef(shardId), upserts }));
  }
  return { node, copiesDir: shardCopiesDirOf(cluster.dataDir("solo")) };
}

/** A SnapshotShard stream of `shardId`, started: its first chunk has arrived (so its copy exists). */
async function openStream(node: WorkerNode, shardId: number) {
  const stream = node.service.snapshotShard(create(SnapshotShardRequestSchema, { shard: shardRef(shardId) }))[Symbol.asyncIterator]();
  const first = await stream.next();
  expect(first.done).toBe(false);
  return stream;
}

/** The error a SnapshotShard call of `shardId` fails with before its first chunk. */
async function refusal(node: WorkerNode, shardId: number): Promise<unknown> {
  const stream = node.service.snapshotShard(create(SnapshotShardRequestSchema, { shard: shardRef(shardId) }))[Symbol.asyncIterator]();
  return await stream.next().then(
    () => {
      throw new Error(`the snapshot of shard ${shardId} was not refused`);
    },
    (error: unknown) => error,
  );
}

const copies = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

test("a second snapshot of a shard being streamed is refused; allowed once the first ends", async () => {
  const { node, copiesDir } = await startNode(2);
  const first = await openStream(node, 1);
  expect(copies(copiesDir)).toHaveLength(1);

  const error = await refusal(node, 1);
  expect(error).toMatchObject({
    code: "resource_exhausted",
    message: "a snapshot of shard 1 of this collection is already being streamed; retry when it ends",
  });
  // The refusal made no copy of its own.
  expect(copies(copiesDir)).toHaveLength(1);
  // Another shard is not held up by it.
  const other = await openStream(node, 0);
  await other.return?.(undefined);

  // The first stream runs to its end: its copy is gone and the shard may be copied again.
  for (let next = await first.next(); !next.done; next = await first.next());
  expect(copies(copiesDir)).toEqual([]);
  const again = await openStream(node, 1);
  await again.return?.(undefined);
  expect(copies(copiesDir)).toEqual([]);
});

test("the worker streams at most maxSnapshotStreams copies at once; abandoned streams free their slot and leave no file", async () => {
  const { node, copiesDir } = await startNode(3, 2);
  const s0 = await openStream(node, 0);
  const s1 = await openStream(node, 1);
  expect(copies(copiesDir)).toHaveLength(2);

  const error = await refusal(node, 2);
  expect(error).toMatchObject({ code: "resource_exhausted" });
  expect((error as Error).message).toContain("already streaming 2 shard snapshot(s)");
  expect(copies(copiesDir)).toHaveLength(2);

  // A reader going away mid-stream (the transport returns the iterator) frees its slot.
  await s0.return?.(undefined);
  expect(copies(copiesDir)).toHaveLength(1);
  const s2 = await openStream(node, 2);
  expect(copies(copiesDir)).toHaveLength(2);

  await s1.return?.(undefined);
  await s2.return?.(undefined);
  expect(copies(copiesDir)).toEqual([]);
  // Every slot is free again: the cap's worth of streams can start at once.
  const again = [await openStream(node, 2), await openStream(node, 0)];
  for (const stream of again) await stream.return?.(undefined);
  expect(copies(copiesDir)).toEqual([]);
});

test("a snapshot refused by the read check takes no slot", async () => {
  const { node } = await startNode(1, 1);
  // A shard this worker does not hold: refused by the read check, never counted.
  const missing = await refusal(node, 7);
  expect(missing).not.toMatchObject({ code: "resource_exhausted" });
  const stream = await openStream(node, 0);
  await stream.return?.(undefined);
  await (await openStream(node, 0)).return?.(undefined);
});

test("maxSnapshotStreams below 1 is refused at start", async () => {
  cluster = new TestCluster({ maxSnapshotStreams: 0 });
  await expect(cluster.start("solo")).rejects.toThrow("max must be a whole number of at least 1");
});
