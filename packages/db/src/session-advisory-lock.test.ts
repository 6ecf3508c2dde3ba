import { afterEach, expect, test } from "bun:test";
import postgres from "postgres";
import { PLACEMENT_LEADER_LOCK_KEY } from "./create-db";
import { createSessionAdvisoryLock, type SessionAdvisoryLock } from "./session-advisory-lock";
import { createTestDatabase, type TestDatabase } from "./test-database";

let database: TestDatabase | undefined;
const opened: SessionAdvisoryLock[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((lock) => lock.release()));
  await database?.drop();
  database = undefined;
});

function lockOn(url: string, applicationName: string): SessionAdvisoryLock {
  const lock = createSessionAdvisoryLock({ url, key: PLACEMENT_LEADER_LOCK_KEY, applicationName });
  opened.push(lock);
  return lock;
}

test("one session holds the lock; it passes on when the holder releases it", async () => {
  database = await createTestDatabase();
  const [a, b] = [lockOn(database.url, "lock-test a"), lockOn(database.url, "lock-test b")];
  expect(await a.tryAcquire()).toBe(true);
  expect(await b.tryAcquire()).toBe(false);
  expect(await a.stillHeld()).toBe(true);
  expect(await b.stillHeld()).toBe(false);
  await a.release();
  expect(await b.tryAcquire()).toBe(true);
  expect(await b.stillHeld()).toBe(true);
});

test("a terminated session loses the lock, knows it, and another takes it", async () => {
  database = await createTestDatabase();
  const [a, b] = [lockOn(database.url, "lock-test victim"), lockOn(database.url, "lock-test heir")];
  expect(await a.tryAcquire()).toBe(true);
  const admin = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    const killed = await admin`
      select pg_terminate_backend(pid) as done from pg_stat_activity where application_name = 'lock-test victim'`;
    expect(killed.map((row) => row.done)).toEqual([true]);
  } finally {
    await admin.end();
  }
  // postgres-js would reconnect for the next query; the check must still say no.
  expect(await a.stillHeld()).toBe(false);
  expect(await b.tryAcquire()).toBe(true);
  expect(await a.tryAcquire()).toBe(false);
});

test("an unreachable server is an error on acquiring and a no on checking", async () => {
  const lock = lockOn("postgres://postgres@127.0.0.1:1/none", "lock-test nowhere");
  await expect(lock.tryAcquire()).rejects.toThrow();
  expect(await lock.stillHeld()).toBe(false);
});

test("a key outside what pg_locks shows as one number is refused", () => {
  expect(() => createSessionAdvisoryLock({ url: "postgres://x", key: 2 ** 31, applicationName: "x" })).toThrow("[0, 2^31)");
});
