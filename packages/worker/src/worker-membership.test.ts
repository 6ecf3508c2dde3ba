import { afterEach, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { createDb, users } from "@vectron/db";
import { createLocalClient } from "@vectron/local-client";
import { createPlacementService } from "@vectron/placement";
import { PlacementService } from "@vectron/proto/placement/v1";
import { Distance, ReplicaRole } from "@vectron/proto/v1";
import { ApplyWritesRequestSchema, GetShardStatusRequestSchema, SyncPlacementRequestSchema, WorkerService } from "@vectron/proto/worker/v1";
import { eventually, record } from "./test-cluster";
import { makeTempDir } from "./test-shard";
import { startWorkerNode, type WorkerNode } from "./worker-node";

/**
 * Membership against the real placement service (PGlite in memory): workers register,
 * heartbeat and read their shards from placement; a lapsed lease is noticed; roles and
 * replication follow the shard map placement keeps.
 */

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const LEASE_MS = 1500;

test("workers join placement, take the roles of a new collection's shard, replicate, and survive a lapsed lease", async () => {
  const database = await createDb({ pglite: "memory" });
  cleanups.push(() => database.close());
  let skewMs = 0; // placement's clock, moved forward to let a lease lapse
  const placement = createLocalClient(
    PlacementService,
    createPlacementService({ db: database.db, leaseMs: LEASE_MS, now: () => new Date(Date.now() + skewMs) }),
  );
  const nodes = new Map<string, WorkerNode>();
  const logs: string[] = [];
  const address = (id: string) => `http://${id}.workers.test:8080`;
  const idAt = new Map(["a", "b"].map((id) => [address(id), id]));
  for (const id of ["a", "b"]) {
    const temp = makeTempDir();
    const node = await startWorkerNode({
      dataDir: temp.dir,
      workerId: id,
      address: address(id),
      placement,
      shardThreads: 0,
      workerClient: (target) => createLocalClient(WorkerService, nodes.get(idAt.get(target)!)!.service),
      log: (message) => logs.push(`${id}: ${message}`),
    });
    nodes.set(id, node);
    cleanups.push(temp.cleanup, () => node.close());
    await node.join();
  }
  expect((await placement.listWorkers({})).workers.map((w) => [w.id, w.live])).toEqual([["a", true], ["b", true]]);

  const [owner] = await database.db.insert(users).values({ email: "owner@example.com", passwordHash: "x" }).returning();
  const { collection } = await placement.createCollection({
    ownerId: owner!.id,
    name: "c",
    dimension: 2,
    distance: Distance.EUCLIDEAN,
    shardCount: 1,
    replicationFactor: 2,
  });
  const shard = collection!.shards[0]!;
  const primaryId = shard.replicas.find((r) => r.role === ReplicaRole.PRIMARY)!.workerId;
  const primary = nodes.get(primaryId)!;
  const followerId = primaryId === "a" ? "b" : "a";
  for (const node of nodes.values()) expect((await node.service.syncPlacement(create(SyncPlacementRequestSchema))).shards).toBe(1);

  const ref = { collectionId: collection!.id, shardId: 0, epoch: shard.epoch };
  const write = (id: string) => primary.service.applyWrites(create(ApplyWritesRequestSchema, { shard: ref, upserts: [record(id, 1)], writeQuorum: 2 }));
  await write("p1");
  const status = (node: WorkerNode) => node.service.getShardStatus(create(GetShardStatusRequestSchema, { shard: ref, withDigest: true }));
  const [p, f] = [await status(primary), await status(nodes.get(followerId)!)];
  expect(p.role).toBe(ReplicaRole.PRIMARY);
  expect(f.role).toBe(ReplicaRole.FOLLOWER);
  expect(f.digest).toBe(p.digest);

  // Placement's clock jumps past the leases: the next heartbeats answer lease_lapsed,
  // the primary is suspended until it re-read placement, then takes writes again.
  skewMs = LEASE_MS * 2;
  await eventually("a heartbeat reported the lapsed lease", () => logs.some((line) => line.includes("lease had lapsed")), 5000);
  await eventually("the primary takes writes again", () => write("p2").then(() => true, () => false), 5000);
  expect((await status(nodes.get(followerId)!)).pointCount).toBe(2n);
}, 20_000);
