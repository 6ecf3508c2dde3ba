import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { collections, shardReplicas, shards, type DbDriver } from "@vectron/db";
import { ReplicaState } from "@vectron/proto/v1";
import { commitFailover } from "./commit-failover";
import { LEASE_MS, REPLACE_AFTER_MS, openPlacementFixture, type PlacementFixture } from "./placement-fixture";

/**
 * The control loop's database transitions on one driver. The workers registered here
 * listen nowhere, so every FenceShard and SyncPlacement fails as it does against a down
 * worker: failovers must not happen, everything else must go on.
 */
export function describeControlLoopSuite(driver: DbDriver) {
  describe(`control loop on ${driver}`, () => {
    let f: PlacementFixture;
    beforeEach(async () => {
      f = await openPlacementFixture(driver);
    }, 30_000);
    afterEach(() => f?.close());

    /** Every replica of a collection as "shard:worker:role:state[:leaving]", sorted. */
    async function replicas(collectionId: string): Promise<string[]> {
      const rows = await f.handle.db.select().from(shardReplicas).where(eq(shardReplicas.collectionId, collectionId));
      return rows.map((r) => `${r.shardId}:${r.workerId}:${r.role}:${r.state}${r.leaving ? ":leaving" : ""}`).sort();
    }
    /** Time passes; only `alive` keep heartbeating. */
    async function elapse(ms: number, ...alive: string[]) {
      f.advance(ms);
      await f.heartbeat(...alive);
    }

    test("a dead follower goes offline, is waited for, then replaced; the report in sync removes it", async () => {
      await f.register("a", "b");
      const { id } = await f.createCollection(await f.newOwner(), "c", 1, 2);
      await f.register("c");
      await elapse(LEASE_MS + 1, "a", "c");
      const first = await f.loop.runOnce();
      expect(first.markedOffline).toBe(1);
      expect(first.added).toEqual([]);
      expect(await replicas(id)).toEqual(["0:a:primary:active", "0:b:follower:offline"]);

      // b's lease ended 1 ms ago; it is replaced once it has been dead for REPLACE_AFTER_MS.
      await elapse(REPLACE_AFTER_MS - 2, "a", "c");
      expect((await f.loop.runOnce()).added).toEqual([]);
      await elapse(1, "a", "c");
      const third = await f.loop.runOnce();
      expect(third.added.map((r) => r.workerId)).toEqual(["c"]);
      expect(await replicas(id)).toEqual(["0:a:primary:active", "0:b:follower:offline", "0:c:follower:syncing"]);
      expect(f.logs.some((line) => line.includes("SyncPlacement on http://127.0.0.1:9/c failed"))).toBe(true);

      await f.placement.reportReplicaInSync({ collectionId: id, shardId: 0, workerId: "c", epoch: 1n });
      expect(await replicas(id)).toEqual(["0:a:primary:active", "0:c:follower:active"]);
    });

    test("a dead primary is not replaced unless its followers answer FenceShard, nor is its shard re-replicated", async () => {
      await f.register("a", "b", "c");
      const { id } = await f.createCollection(await f.newOwner(), "c", 1, 2);
      const primary = (await replicas(id)).find((r) => r.includes("primary"))!.split(":")[1]!;
      const others = ["a", "b", "c"].filter((w) => w !== primary);
      await elapse(LEASE_MS + 1, ...others);
      const tick = await f.loop.runOnce();
      expect(tick.failovers).toEqual([]);
      await elapse(REPLACE_AFTER_MS * 2, ...others);
      expect((await f.loop.runOnce()).added).toEqual([]);
      const [shard] = await f.handle.db.select().from(shards).where(eq(shards.collectionId, id));
      expect(shard!.epoch).toBe(1);
      expect(f.logs.filter((line) => line.includes("no new primary")).length).toBe(1); // said once, not every tick
      expect(f.logs.some((line) => line.includes("0 in-sync follower(s) of epoch 1 fenced, 1 needed"))).toBe(true);

      // It comes back: it must answer a fence at a new epoch before it is active again.
      await elapse(1, ...others, primary);
      await f.loop.runOnce();
      expect(f.logs.some((line) => line.includes("the returning primary did not answer FenceShard"))).toBe(true);
      expect((await replicas(id)).find((r) => r.includes("primary"))).toBe(`0:${primary}:primary:offline`);
    });

    test("commitFailover moves the epoch only from the epoch it decided at, and settles roles and states", async () => {
      await f.register("a", "b", "c");
      const { id } = await f.createCollection(await f.newOwner(), "c", 1, 3);
      const where = (workerId: string) => and(eq(shardReplicas.collectionId, id), eq(shardReplicas.workerId, workerId));
      const before = await replicas(id);
      const primary = before.find((r) => r.includes("primary"))!.split(":")[1]!;
      const [next, third] = ["a", "b", "c"].filter((w) => w !== primary) as [string, string];
      const commit = { collectionId: id, shardId: 0, newPrimary: next, oldPrimary: primary, keepState: [third] };
      expect(await commitFailover(f.handle.db, { ...commit, fromEpoch: 2 }, f.deps.now())).toBeUndefined();
      expect(await replicas(id)).toEqual(before);

      // The old primary was not fenced (dead): it may hold writes the new primary lacks, so
      // it is syncing (it will copy) until the new primary reports it in sync.
      expect(await commitFailover(f.handle.db, { ...commit, fromEpoch: 1 }, f.deps.now())).toEqual({ removed: [] });
      expect(await replicas(id)).toEqual(
        [`0:${next}:primary:active`, `0:${primary}:follower:syncing`, `0:${third}:follower:active`].sort(),
      );
      const [shard] = await f.handle.db.select().from(shards).where(eq(shards.collectionId, id));
      expect(shard!.epoch).toBe(2);

      // A planned handoff away from a leaving primary whose log the others hold: once
      // enough replicas are in sync without it, it is removed in the same transaction.
      await f.register("d");
      await f.handle.db.insert(shardReplicas).values({ collectionId: id, shardId: 0, workerId: "d", role: "follower", state: "active" });
      await f.handle.db.update(shardReplicas).set({ role: "follower", state: "active" }).where(where(primary));
      await f.handle.db.update(shardReplicas).set({ role: "primary", leaving: true }).where(where(third));
      await f.handle.db.update(shardReplicas).set({ role: "follower" }).where(where(next));
      const handoff = await commitFailover(
        f.handle.db,
        { collectionId: id, shardId: 0, fromEpoch: 2, newPrimary: next, oldPrimary: third, keepState: [third, primary, "d"] },
        f.deps.now(),
      );
      expect(handoff).toEqual({ removed: [third] });
      expect(await replicas(id)).toEqual([`0:${next}:primary:active`, `0:${primary}:follower:active`, "0:d:follower:active"].sort());
    });

    test("draining a worker replaces its replicas; its primary waits for a handoff, which FenceShard must answer", async () => {
      await f.register("a", "b");
      const { id } = await f.createCollection(await f.newOwner(), "c", 2, 2);
      await f.register("c");
      await f.placement.setWorkerDraining({ workerId: "b", draining: true });
      const tick = await f.loop.runOnce();
      expect(tick.markedLeaving).toBe(2);
      expect(tick.added.map((r) => [r.shard.shardId, r.workerId])).toEqual([
        [0, "c"],
        [1, "c"],
      ]);
      expect(tick.moves).toEqual([]); // a draining worker is not rebalanced, it is emptied
      for (const shardId of [0, 1]) {
        await f.placement.reportReplicaInSync({ collectionId: id, shardId, workerId: "c", epoch: 1n });
      }
      // Shard 1's primary was on b: it stays until a handoff, which needs FenceShard answered.
      expect(await replicas(id)).toEqual([
        "0:a:primary:active",
        "0:c:follower:active",
        "1:a:follower:active",
        "1:b:primary:active:leaving",
        "1:c:follower:active",
      ]);
      await f.loop.runOnce();
      expect(f.logs.some((line) => line.includes("the leaving primary did not answer FenceShard"))).toBe(true);
      const { workers } = await f.placement.listWorkers({});
      expect(workers.map((w) => [w.id, w.draining, w.replicaCount])).toEqual([
        ["a", false, 2],
        ["b", true, 1],
        ["c", false, 2],
      ]);
    });

    test("a drained follower-only worker ends with replica count 0", async () => {
      await f.register("a", "b");
      const { id } = await f.createCollection(await f.newOwner(), "c", 1, 2);
      await f.register("c");
      await f.placement.setWorkerDraining({ workerId: "b", draining: true });
      await f.loop.runOnce();
      await f.placement.reportReplicaInSync({ collectionId: id, shardId: 0, workerId: "c", epoch: 1n });
      const { workers } = await f.placement.listWorkers({});
      expect(workers.find((w) => w.id === "b")).toMatchObject({ draining: true, replicaCount: 0 });
      const { collection } = await f.placement.getCollection({ ownerId: (await ownerOf(id))!, name: "c" });
      expect(collection!.shards[0]!.replicas.map((r) => [r.workerId, r.state])).toEqual([
        ["a", ReplicaState.ACTIVE],
        ["c", ReplicaState.ACTIVE],
      ]);
    });

    test("a new worker receives followers, two moves at a time, until loads are within 1", async () => {
      await f.register("a", "b");
      const { id } = await f.createCollection(await f.newOwner(), "c", 6, 2);
      await f.register("c");
      const first = await f.loop.runOnce();
      expect(first.moves).toHaveLength(2);
      expect(first.added.map((r) => r.workerId)).toEqual(["c", "c"]);
      expect((await f.loop.runOnce()).moves).toEqual([]); // two in flight already
      for (let round = 0; round < 5; round++) {
        const syncing = (await replicas(id)).filter((r) => r.includes(":c:") && r.includes("syncing"));
        for (const row of syncing) {
          await f.placement.reportReplicaInSync({ collectionId: id, shardId: Number(row.split(":")[0]), workerId: "c", epoch: 1n });
        }
        await f.loop.runOnce();
      }
      const { workers } = await f.placement.listWorkers({});
      const counts = workers.map((w) => w.replicaCount);
      expect(counts.reduce((a, b) => a + b)).toBe(12);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      expect((await replicas(id)).filter((r) => r.includes("primary"))).toHaveLength(6);
      expect((await replicas(id)).some((r) => r.includes("leaving") || r.includes("syncing"))).toBe(false);
    });

    async function ownerOf(collectionId: string): Promise<string | undefined> {
      const [row] = await f.handle.db.select({ ownerId: collections.ownerId }).from(collections).where(eq(collections.id, collectionId));
      return row?.ownerId;
    }
  });
}
