import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import type { Db, DbDriver, DbHandle } from "./create-db";
import { executeRows } from "./execute-rows";
import { MIGRATION_LOCK_KEY, PLACEMENT_LEADER_LOCK_KEY } from "./create-db";
import { apiKeys, collections, placementLeader, shardReplicas, shards, users, workers } from "./schema";
import { openTestDb } from "./test-database";

/** The SQLSTATE of a failed query; drizzle wraps the driver's error as `cause`. */
function sqlState(err: unknown): string | undefined {
  const e = err as { code?: string; cause?: { code?: string } };
  return e.cause?.code ?? e.code;
}

async function failure(promise: PromiseLike<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (err) {
    return sqlState(err);
  }
  throw new Error("expected the statement to fail");
}

async function plan(db: Db, query: Parameters<typeof sql>[1]): Promise<string> {
  // With sequential scans priced out, a missing index shows up as a Seq Scan.
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);
    const rows = await executeRows<{ "QUERY PLAN": string }>(tx, sql`explain ${query}`);
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  });
}

let counter = 0;
const uniqueEmail = () => `user${++counter}@example.com`;
const digest = (fill: number) => new Uint8Array(32).fill(fill);

for (const driver of ["pglite", "postgres"] satisfies DbDriver[]) {
  describe(`schema on ${driver}`, () => {
    let handle: DbHandle;
    let db: Db;
    beforeAll(async () => {
      handle = await openTestDb(driver);
      db = handle.db;
    });
    afterAll(() => handle?.close());

    async function newUser(): Promise<string> {
      const [row] = await db.insert(users).values({ email: uniqueEmail(), passwordHash: "x" }).returning();
      return row!.id;
    }

    test("users get a generated id, the free plan and a creation time", async () => {
      const [row] = await db.insert(users).values({ email: uniqueEmail(), passwordHash: "x" }).returning();
      expect(row!.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row!.plan).toBe("free");
      expect(row!.createdAt).toBeInstanceOf(Date);
    });

    test("emails are unique and only stored lowercased", async () => {
      const email = uniqueEmail();
      await db.insert(users).values({ email, passwordHash: "x" });
      expect(await failure(db.insert(users).values({ email, passwordHash: "y" }))).toBe("23505");
      expect(await failure(db.insert(users).values({ email: "Upper@Example.com", passwordHash: "x" }))).toBe("23514");
    });

    test("an API key digest round-trips as 32 bytes and must be 32 bytes", async () => {
      const userId = await newUser();
      await db.insert(apiKeys).values({ id: `k${++counter}`, userId, name: "n", prefix: "vk_", digest: digest(9) });
      const [row] = await db.select().from(apiKeys).where(eq(apiKeys.userId, userId));
      expect(row!.digest).toEqual(digest(9));
      expect(row!.lastUsedAt).toBeNull();
      const short = db.insert(apiKeys).values({ id: `k${++counter}`, userId, name: "n", prefix: "vk_", digest: new Uint8Array(31) });
      expect(await failure(short)).toBe("23514");
    });

    test("deleting a user removes their keys, collections, shards and replicas", async () => {
      const userId = await newUser();
      const workerId = `w${++counter}`;
      await db.insert(workers).values({ id: workerId, address: "127.0.0.1:1", leaseExpiresAt: new Date() });
      await db.insert(apiKeys).values({ id: `k${++counter}`, userId, name: "n", prefix: "vk_", digest: digest(1) });
      const [collection] = await db
        .insert(collections)
        .values({ ownerId: userId, name: "c", dimension: 4, distance: "cosine", shardCount: 1, replicationFactor: 1 })
        .returning();
      const collectionId = collection!.id;
      await db.insert(shards).values({ collectionId, shardId: 0 });
      await db.insert(shardReplicas).values({ collectionId, shardId: 0, workerId, role: "primary", state: "active" });
      const [shard] = await db.select().from(shards).where(eq(shards.collectionId, collectionId));
      expect(shard!.epoch).toBe(1);

      await db.delete(users).where(eq(users.id, userId));
      expect(await db.select().from(apiKeys).where(eq(apiKeys.userId, userId))).toHaveLength(0);
      expect(await db.select().from(collections).where(eq(collections.ownerId, userId))).toHaveLength(0);
      expect(await db.select().from(shards).where(eq(shards.collectionId, collectionId))).toHaveLength(0);
      expect(await db.select().from(shardReplicas).where(eq(shardReplicas.collectionId, collectionId))).toHaveLength(0);
      expect(await db.select().from(workers).where(eq(workers.id, workerId))).toHaveLength(1);
    });

    test("collection names are unique per owner; replica role and state are constrained", async () => {
      const [a, b] = [await newUser(), await newUser()];
      const values = { name: "same", dimension: 3, distance: "dot", shardCount: 2, replicationFactor: 1 };
      await db.insert(collections).values({ ...values, ownerId: a });
      await db.insert(collections).values({ ...values, ownerId: b });
      expect(await failure(db.insert(collections).values({ ...values, ownerId: a }))).toBe("23505");
      expect(await failure(db.insert(collections).values({ ...values, name: "zero", ownerId: a, dimension: 0 }))).toBe("23514");

      const [collection] = await db.select().from(collections).where(eq(collections.ownerId, a));
      const workerId = `w${++counter}`;
      await db.insert(workers).values({ id: workerId, address: "127.0.0.1:2", leaseExpiresAt: new Date() });
      await db.insert(shards).values({ collectionId: collection!.id, shardId: 0 });
      const replica = { collectionId: collection!.id, shardId: 0, workerId };
      expect(await failure(db.insert(shardReplicas).values({ ...replica, role: "leader" as never, state: "active" }))).toBe("23514");
      expect(await failure(db.insert(shardReplicas).values({ ...replica, role: "primary", state: "gone" as never }))).toBe("23514");
    });

    test("workers start undrained; replicas start staying, with the time their state was set", async () => {
      const userId = await newUser();
      const workerId = `w${++counter}`;
      const [worker] = await db.insert(workers).values({ id: workerId, address: "a", leaseExpiresAt: new Date() }).returning();
      expect(worker!.draining).toBe(false);
      const [collection] = await db
        .insert(collections)
        .values({ ownerId: userId, name: "d", dimension: 2, distance: "dot", shardCount: 1, replicationFactor: 1 })
        .returning();
      await db.insert(shards).values({ collectionId: collection!.id, shardId: 0 });
      const before = Date.now();
      const [replica] = await db
        .insert(shardReplicas)
        .values({ collectionId: collection!.id, shardId: 0, workerId, role: "primary", state: "active" })
        .returning();
      expect(replica!.leaving).toBe(false);
      // The server's clock, not ours: allow a little skew either way.
      expect(Math.abs(replica!.stateSince.getTime() - before)).toBeLessThan(60_000);
    });

    test("the placement leader table holds at most one row", async () => {
      await db.insert(placementLeader).values({ nodeId: "node-a" });
      expect(await failure(db.insert(placementLeader).values({ nodeId: "node-b" }))).toBe("23505");
      expect(await failure(db.insert(placementLeader).values({ id: 2, nodeId: "node-b" }))).toBe("23514");
      const rows = await db.select().from(placementLeader);
      expect(rows.map((r) => r.nodeId)).toEqual(["node-a"]);
      await db.delete(placementLeader);
    });

    test("every named index exists", async () => {
      const rows = await executeRows<{ indexname: string }>(
        db,
        sql`select indexname from pg_indexes where schemaname = 'public' order by indexname`,
      );
      expect(rows.map((r) => r.indexname)).toEqual([
        "api_keys_pkey",
        "api_keys_user_id_idx",
        "collections_owner_id_name_key",
        "collections_pkey",
        "payload_indexes_pkey",
        "placement_leader_pkey",
        "shard_replicas_pkey",
        "shard_replicas_worker_id_idx",
        "shards_pkey",
        "users_email_key",
        "users_pkey",
        "workers_pkey",
      ]);
    });

    test("a user by id, a user by email and the keys of a user are index lookups", async () => {
      const userId = await newUser();
      expect(await plan(db, db.select().from(users).where(eq(users.id, userId)))).toContain("users_pkey");
      expect(await plan(db, db.select().from(users).where(eq(users.email, "a@b.c")))).toContain("users_email_key");
      const keys = await plan(db, db.select().from(apiKeys).where(eq(apiKeys.userId, userId)));
      expect(keys).toContain("api_keys_user_id_idx");
      expect(keys).not.toContain("Seq Scan");
      expect(await plan(db, db.select().from(apiKeys).where(eq(apiKeys.id, "k")))).toContain("api_keys_pkey");
      expect(await plan(db, db.select().from(shardReplicas).where(eq(shardReplicas.workerId, "w")))).toContain(
        "shard_replicas_worker_id_idx",
      );
    });
  });
}

test("the leader lock and the migration lock are different advisory locks", () => {
  expect(PLACEMENT_LEADER_LOCK_KEY).not.toBe(MIGRATION_LOCK_KEY);
});
