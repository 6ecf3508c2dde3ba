/**
 * Database helpers for tests in any package (import from "@vectron/db/test-database");
 * not part of the runtime API. A missing Postgres makes them reject: tests that need
 * Postgres fail, they never skip.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { createDb, type DbDriver, type DbHandle } from "./create-db";

/**
 * The Postgres server tests run against: trust auth on localhost unless
 * VECTRON_TEST_POSTGRES_URL names another (maintenance) database URL.
 */
export function testPostgresUrl(): string {
  return process.env.VECTRON_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
}

export interface TestDatabase {
  /** URL of the new, empty database. */
  url: string;
  /**
   * An outage of this database only: false refuses new connections and ends the open
   * ones (as a Postgres restart would), true lets clients in again.
   */
  setReachable(reachable: boolean): Promise<void>;
  /** Ends every session on the database and drops it. Safe to call twice. */
  drop(): Promise<void>;
}

/** Creates a fresh, empty database with a random name on the test Postgres server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `vectron_test_${randomBytes(6).toString("hex")}`;
  await withAdmin((sql) => sql`create database ${sql(name)}`);
  const url = new URL(testPostgresUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    setReachable: (reachable) =>
      withAdmin(async (sql) => {
        await sql`alter database ${sql(name)} with allow_connections ${sql.unsafe(reachable ? "true" : "false")}`;
        if (!reachable) await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
      }),
    // FORCE terminates the sessions still open on it first (Postgres 13+).
    drop: () => withAdmin((sql) => sql`drop database if exists ${sql(name)} with (force)`),
  };
}

/**
 * Opens a migrated database for a test: in-memory PGlite, or a fresh database on the
 * test Postgres whose `close()` also drops it.
 */
export async function openTestDb(driver: DbDriver): Promise<DbHandle> {
  if (driver === "pglite") return createDb({ pglite: "memory" });
  const database = await createTestDatabase();
  try {
    const handle = await createDb({ url: database.url });
    let closing: Promise<void> | undefined;
    const close = () => (closing ??= handle.close().finally(() => database.drop()));
    return { ...handle, close };
  } catch (err) {
    await database.drop();
    throw err;
  }
}

async function withAdmin(statement: (sql: postgres.Sql) => PromiseLike<unknown>): Promise<void> {
  const adminUrl = testPostgresUrl();
  const sql = postgres(adminUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await statement(sql);
  } catch (err) {
    if (!isConnectionError(err)) throw err;
    throw new Error(`test Postgres unreachable at ${redact(adminUrl)}: start it or set VECTRON_TEST_POSTGRES_URL`, {
      cause: err,
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "ECONNREFUSED" || code === "CONNECT_TIMEOUT" || code === "ENOTFOUND" || code === "ECONNRESET";
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}
