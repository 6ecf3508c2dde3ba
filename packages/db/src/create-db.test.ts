import { afterEach, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { createDb, type Db, type DbHandle } from "./create-db";
import { executeRows } from "./execute-rows";
import { users } from "./schema";
import { createTestDatabase, testPostgresUrl, type TestDatabase } from "./test-database";

const expectedTables = [
  "api_keys",
  "collections",
  "payload_indexes",
  "placement_leader",
  "shard_replicas",
  "shards",
  "users",
  "workers",
];

async function tablesOf(db: Db): Promise<string[]> {
  const rows = await executeRows<{ table_name: string }>(
    db,
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  return rows.map((r) => r.table_name);
}

async function appliedMigrations(db: Db): Promise<number> {
  const rows = await executeRows<{ n: number }>(db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return rows[0]!.n;
}

// Everything opened in a test is closed after it, even when an assertion fails.
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
function closeLater(handle: DbHandle): DbHandle {
  cleanups.push(() => handle.close());
  return handle;
}

describe("createDb on PGlite", () => {
  test("in memory: applies every migration", async () => {
    const { db, driver } = closeLater(await createDb({ pglite: "memory" }));
    expect(driver).toBe("pglite");
    expect(await tablesOf(db)).toEqual(expectedTables);
    expect(await appliedMigrations(db)).toBeGreaterThan(0);
  });

  test("in a directory: data survives close and reopen, migrations are not re-applied", async () => {
    const parent = await mkdtemp(join(tmpdir(), "vectron-db-"));
    cleanups.push(() => rm(parent, { recursive: true, force: true }));
    const dir = join(parent, "accounts"); // does not exist yet

    const first = await createDb({ pgliteDir: dir });
    await first.db.insert(users).values({ email: "kept@example.com", passwordHash: "x" });
    const migrations = await appliedMigrations(first.db);
    await first.close();
    await first.close(); // idempotent

    const second = closeLater(await createDb({ pgliteDir: dir }));
    expect(await appliedMigrations(second.db)).toBe(migrations);
    const rows = await second.db.select().from(users).where(eq(users.email, "kept@example.com"));
    expect(rows).toHaveLength(1);
  });

  test("a target that is none of the three is refused", async () => {
    await expect(createDb({} as never)).rejects.toThrow(/pgliteDir/);
  });
});

describe("createDb on Postgres", () => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.drop();
    database = undefined;
  });

  test("applies every migration; reopening applies none and keeps the data", async () => {
    database = await createTestDatabase();
    const first = await createDb({ url: database.url });
    expect(first.driver).toBe("postgres");
    expect(await tablesOf(first.db)).toEqual(expectedTables);
    const migrations = await appliedMigrations(first.db);
    await first.db.insert(users).values({ email: "kept@example.com", passwordHash: "x" });
    await first.close();

    const second = closeLater(await createDb({ url: database.url }));
    expect(await appliedMigrations(second.db)).toBe(migrations);
    expect(await second.db.select().from(users)).toHaveLength(1);
  });

  test("several processes opening one fresh database migrate it exactly once", async () => {
    database = await createTestDatabase();
    const url = database.url;
    const handles = await Promise.all([1, 2, 3, 4].map(() => createDb({ url, maxConnections: 2 })));
    handles.forEach(closeLater);
    const migrations = await appliedMigrations(handles[0]!.db);
    const files = await Array.fromAsync(new Bun.Glob("*.sql").scan(join(import.meta.dir, "..", "migrations")));
    expect(migrations).toBe(files.length);
  });

  test("a test database is gone after drop, even with sessions still open", async () => {
    const temporary = await createTestDatabase();
    const name = new URL(temporary.url).pathname.slice(1);
    const handle = await createDb({ url: temporary.url });
    await handle.db.select().from(users); // hold a pooled session open
    await temporary.drop();
    await handle.close();

    const admin = postgres(testPostgresUrl(), { max: 1 });
    try {
      const rows = await admin`select 1 from pg_database where datname = ${name}`;
      expect(rows).toHaveLength(0);
    } finally {
      await admin.end();
    }
  });
});
