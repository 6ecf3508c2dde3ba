import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { shardReplicas, type DbDriver } from "@vectron/db";
import { ReplicaRole, ReplicaState } from "@vectron/proto/v1";
import { VectronError } from "@vectron/rpc-errors";
import { LEASE_MS, openPlacementFixture, type PlacementFixture } from "./placement-fixture";

/** The stable error code a call failed with (the RPC edge maps it to a Connect code). */
async function codeOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(() => undefined, (e) => e);
  return err instanceof VectronError ? err.code : `not a VectronError: ${err}`;
}

/** Placement's RPCs and the database transitions behind them, on one driver. */
export function describePlacementRpcSuite(driver: DbDriver) {
  describe(`placement RPCs on ${driver}`, () => {
    let f: PlacementFixture;
    beforeAll(async () => {
      f = await openPlacementFixture(driver);
    }, 30_000);
    afterAll(() => f?.close());

    test("a heartbeat says whether the lease had lapsed; registering starts a fresh one", async () => {
      await f.register("lapse");
      expect((await f.placement.heartbeat({ workerId: "lapse" })).leaseLapsed).toBe(false);
      f.advance(LEASE_MS + 1);
      const late = await f.placement.heartbeat({ workerId: "lapse" });
      expect(late.leaseLapsed).toBe(true);
      expect(late.leaseMs).toBe(LEASE_MS);
      expect((await f.placement.heartbeat({ workerId: "lapse" })).leaseLapsed).toBe(false);
      f.advance(LEASE_MS + 1);
      await f.register("lapse");
      expect((await f.placement.heartbeat({ workerId: "lapse" })).leaseLapsed).toBe(false);
      expect(await codeOf(f.placement.heartbeat({ workerId: "nobody" }))).toBe("not_found");
    });

    test("draining workers get no new collections and show in ListWorkers with their replica counts", async () => {
      await f.register("d1", "d2", "d3");
      const owner = await f.newOwner();
      const drained = await f.placement.setWorkerDraining({ workerId: "d3", draining: true });
      expect(drained.worker).toMatchObject({ id: "d3", draining: true, live: true, replicaCount: 0 });
      const collection = await f.createCollection(owner, "no-draining", 4, 2);
      const used = new Set(collection.shards.flatMap((s) => s.replicas.map((r) => r.workerId)));
      expect(used.has("d3")).toBe(false);
      // Live and undrained: lapse, d1, d2.
      expect(await codeOf(f.createCollection(owner, "too-wide", 1, 4))).toBe("invalid_argument");

      const { workers } = await f.placement.listWorkers({});
      const byId = new Map(workers.map((w) => [w.id, w]));
      expect(byId.get("d3")!.replicaCount).toBe(0);
      const placed = collection.shards.flatMap((s) => s.replicas.map((r) => r.workerId));
      for (const id of ["lapse", "d1", "d2"]) expect(byId.get(id)!.replicaCount).toBe(placed.filter((w) => w === id).length);
      expect(placed).toHaveLength(8);
      expect(byId.get("d1")!.draining).toBe(false);

      await f.placement.setWorkerDraining({ workerId: "d3", draining: false });
      expect((await f.createCollection(owner, "now-wide", 1, 4)).shards[0]!.replicas).toHaveLength(4);
      expect(await codeOf(f.placement.setWorkerDraining({ workerId: "ghost", draining: true }))).toBe("not_found");
    });

    test("concurrent creates never take an owner past max_collections; 0 means no limit", async () => {
      await f.register("quota");
      const owner = await f.newOwner();
      const create = (name: string, maxCollections: number) =>
        f.placement.createCollection({ ownerId: owner, name, dimension: 2, distance: 1, shardCount: 1, replicationFactor: 1, maxCollections });
      const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => codeOf(create(`c${i}`, 3))));
      expect(outcomes.filter((code) => code === "not a VectronError: undefined")).toHaveLength(3);
      expect(outcomes.filter((code) => code === "resource_exhausted")).toHaveLength(5);
      expect((await f.placement.listCollections({ ownerId: owner })).collections).toHaveLength(3);
      expect(await codeOf(create("more", 3))).toBe("resource_exhausted");
      // A taken name is already_exists, whatever the quota.
      expect(await codeOf(create((await f.placement.listCollections({ ownerId: owner })).collections[0]!.name, 3))).toBe("already_exists");
      await create("fourth", 4);
      await create("unlimited", 0);
      expect((await f.placement.listCollections({ ownerId: owner })).collections).toHaveLength(5);
    });

    test("ListWorkerShards gives each shard's epoch, replication factor, this replica's state and every replica", async () => {
      await f.register("s1", "s2");
      await f.heartbeat("d1", "d2", "d3");
      const owner = await f.newOwner();
      // Only s1 and s2 may take it: the others drain for the moment.
      for (const id of ["d1", "d2", "d3"]) await f.placement.setWorkerDraining({ workerId: id, draining: true });
      const collection = await f.createCollection(owner, "listed", 1, 2);
      for (const id of ["d1", "d2", "d3"]) await f.placement.setWorkerDraining({ workerId: id, draining: false });
      const [primary, follower] = collection.shards[0]!.replicas;
      await f.handle.db
        .update(shardReplicas)
        .set({ state: "syncing" })
        .where(and(eq(shardReplicas.collectionId, collection.id), eq(shardReplicas.workerId, follower!.workerId)));

      const { shards } = await f.placement.listWorkerShards({ workerId: follower!.workerId });
      expect(shards).toHaveLength(1);
      const shard = shards[0]!;
      expect(shard).toMatchObject({ collectionId: collection.id, shardId: 0, epoch: 1n, replicationFactor: 2 });
      expect(shard.role).toBe(ReplicaRole.FOLLOWER);
      expect(shard.state).toBe(ReplicaState.SYNCING);
      expect(shard.replicas.map((r) => [r.workerId, r.address, r.role, r.state])).toEqual([
        [primary!.workerId, `http://127.0.0.1:9/${primary!.workerId}`, ReplicaRole.PRIMARY, ReplicaState.ACTIVE],
        [follower!.workerId, `http://127.0.0.1:9/${follower!.workerId}`, ReplicaRole.FOLLOWER, ReplicaState.SYNCING],
      ]);
      // GetCollection shows the recorded state too, and a dead worker's replica as offline.
      f.advance(LEASE_MS + 1);
      await f.heartbeat(follower!.workerId);
      const { collection: seen } = await f.placement.getCollection({ ownerId: owner, name: "listed" });
      expect(seen!.shards[0]!.epoch).toBe(1n);
      expect(seen!.shards[0]!.replicas.map((r) => r.state)).toEqual([ReplicaState.OFFLINE, ReplicaState.SYNCING]);
      await f.heartbeat(primary!.workerId);
    });

    test("ReportReplicaInSync activates a follower only at the shard's epoch, then trims the leaving replica", async () => {
      await f.register("r1", "r2", "r3");
      const owner = await f.newOwner();
      for (const id of ["d1", "d2", "d3", "s1", "s2"]) await f.placement.setWorkerDraining({ workerId: id, draining: true });
      const collection = await f.createCollection(owner, "trimmed", 1, 2);
      const replicaOf = (workerId: string) =>
        and(eq(shardReplicas.collectionId, collection.id), eq(shardReplicas.workerId, workerId));
      const [primary, follower] = collection.shards[0]!.replicas.map((r) => r.workerId);
      const spare = ["r1", "r2", "r3"].find((id) => id !== primary && id !== follower)!;
      // The follower is leaving and a replacement syncs on the spare worker.
      await f.handle.db.update(shardReplicas).set({ leaving: true }).where(replicaOf(follower!));
      await f.handle.db.insert(shardReplicas).values({ collectionId: collection.id, shardId: 0, workerId: spare, role: "follower", state: "syncing" });

      const report = { collectionId: collection.id, shardId: 0, workerId: spare };
      await f.placement.reportReplicaInSync({ ...report, epoch: 7n }); // a stale primary's word
      const states = async () =>
        (await f.handle.db.select().from(shardReplicas).where(eq(shardReplicas.collectionId, collection.id)))
          .map((r) => `${r.workerId}:${r.state}${r.leaving ? ":leaving" : ""}`)
          .sort();
      expect(await states()).toEqual([`${primary}:active`, `${follower}:active:leaving`, `${spare}:syncing`].sort());

      await f.placement.reportReplicaInSync({ ...report, epoch: 1n });
      expect(await states()).toEqual([`${primary}:active`, `${spare}:active`].sort());
      expect(await codeOf(f.placement.reportReplicaInSync({ ...report, collectionId: "nope", epoch: 1n }))).toBe("invalid_argument");
      for (const id of ["d1", "d2", "d3", "s1", "s2"]) await f.placement.setWorkerDraining({ workerId: id, draining: false });
    });

    test("undraining cancels moves that have no replacement yet and keeps those that do", async () => {
      await f.register("u1", "u2", "u3");
      const owner = await f.newOwner();
      const others = ["d1", "d2", "d3", "s1", "s2", "r1", "r2", "r3"];
      for (const id of others) await f.placement.setWorkerDraining({ workerId: id, draining: true });
      const collection = await f.createCollection(owner, "undrained", 2, 1);
      for (const id of others) await f.placement.setWorkerDraining({ workerId: id, draining: false });
      const [a, b] = collection.shards.map((s) => s.replicas[0]!.workerId);
      await f.handle.db.update(shardReplicas).set({ leaving: true }).where(eq(shardReplicas.collectionId, collection.id));
      // Shard 1 already has its replacement; shard 0 has none.
      const spare = ["u1", "u2", "u3"].find((id) => id !== a && id !== b)!;
      await f.handle.db.insert(shardReplicas).values({ collectionId: collection.id, shardId: 1, workerId: spare, role: "follower", state: "syncing" });
      await f.placement.setWorkerDraining({ workerId: a!, draining: true });
      await f.placement.setWorkerDraining({ workerId: b!, draining: true });
      await f.placement.setWorkerDraining({ workerId: a!, draining: false });
      await f.placement.setWorkerDraining({ workerId: b!, draining: false });
      const rows = await f.handle.db.select().from(shardReplicas).where(eq(shardReplicas.collectionId, collection.id));
      const leaving = (shardId: number, workerId: string) => rows.find((r) => r.shardId === shardId && r.workerId === workerId)!.leaving;
      expect(leaving(0, a!)).toBe(false);
      expect(leaving(1, b!)).toBe(true);
    });

    test("GetPlacementStatus names this process and the recorded leader", async () => {
      const status = await f.placement.getPlacementStatus({});
      expect(status).toMatchObject({ nodeId: "", leading: false, leaderNodeId: "" });
    });
  });
}
