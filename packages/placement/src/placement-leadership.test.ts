import { afterEach, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { createDb, shardReplicas, users, type DbHandle } from "@vectron/db";
import { createTestDatabase, type TestDatabase } from "@vectron/db/test-database";
import { createLocalClient } from "@vectron/local-client";
import { PlacementService } from "@vectron/proto/placement/v1";
import { Distance } from "@vectron/proto/v1";
import { unreachableWorkers } from "./placement-fixture";
import { startPlacementLeadership, type PlacementLeadership } from "./placement-leadership";
import { createPlacementService } from "./placement-service";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Polls `condition` every 50 ms; fails after `ms`. */
async function eventually(condition: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await Bun.sleep(50);
  }
}

async function start(handle: DbHandle, nodeId: string, databaseUrl?: string): Promise<PlacementLeadership> {
  const leadership = await startPlacementLeadership({
    db: handle.db,
    databaseUrl,
    nodeId,
    workerClient: unreachableWorkers,
    log: () => {},
    tickMs: 100,
  });
  cleanups.push(() => leadership.stop());
  return leadership;
}

test("on PGlite the one process leads at once, runs the loop, and clears its record on stop", async () => {
  const handle = await createDb({ pglite: "memory" });
  cleanups.push(() => handle.close());
  const leadership = await start(handle, "solo");
  const placement = createLocalClient(PlacementService, createPlacementService({ db: handle.db, leaseMs: 200, now: () => new Date(), leadership }));
  expect(await placement.getPlacementStatus({})).toMatchObject({ nodeId: "solo", leading: true, leaderNodeId: "solo" });

  // The background ticks notice a worker whose lease ran out.
  const [owner] = await handle.db.insert(users).values({ email: "leader@example.com", passwordHash: "x" }).returning();
  await placement.registerWorker({ workerId: "w", address: "http://127.0.0.1:9" });
  await placement.createCollection({ ownerId: owner!.id, name: "c", dimension: 2, distance: Distance.DOT, shardCount: 1, replicationFactor: 1 });
  await eventually(async () => {
    const [row] = await handle.db.select().from(shardReplicas).where(eq(shardReplicas.workerId, "w"));
    return row?.state === "offline";
  }, 3000, "the replica of a worker without heartbeats is marked offline");

  await leadership.stop();
  expect(leadership.isLeading()).toBe(false);
  expect(await placement.getPlacementStatus({})).toMatchObject({ leading: false, leaderNodeId: "" });
});

test("on Postgres exactly one of two processes leads; when its lock session dies the other takes over", async () => {
  const database: TestDatabase = await createTestDatabase();
  cleanups.push(() => database.drop());
  const handles = await Promise.all([createDb({ url: database.url, maxConnections: 2 }), createDb({ url: database.url, maxConnections: 2 })]);
  for (const handle of handles) cleanups.push(() => handle.close());
  const [a, b] = [await start(handles[0]!, "node-a", database.url), await start(handles[1]!, "node-b", database.url)];
  await eventually(() => a.isLeading() || b.isLeading(), 3000, "someone leads");
  await Bun.sleep(1500); // several lock retries by the other
  const [leader, other] = a.isLeading() ? [a, b] : [b, a];
  expect(other.isLeading()).toBe(false);
  const status = createLocalClient(PlacementService, createPlacementService({ db: handles[0]!.db, leaseMs: 1000, now: () => new Date(), leadership: a }));
  expect((await status.getPlacementStatus({})).leaderNodeId).toBe(leader.nodeId);

  const admin = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    const name = `vectron-placement-leader ${leader.nodeId}`;
    const killed = await admin`select pg_terminate_backend(pid) as done from pg_stat_activity where application_name = ${name}`;
    expect(killed.map((row) => row.done)).toEqual([true]);
  } finally {
    await admin.end();
  }
  await eventually(() => other.isLeading() && !leader.isLeading(), 5000, "the other process leads, the old leader knows it does not");
  expect((await status.getPlacementStatus({})).leaderNodeId).toBe(other.nodeId);

  await other.stop();
  await eventually(() => leader.isLeading(), 5000, "the stopped leader's lock is released and taken again");
}, 20_000);
