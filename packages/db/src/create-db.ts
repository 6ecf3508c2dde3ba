import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema";

/** The database handle every package uses; the same type for PGlite and Postgres. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DbDriver = "pglite" | "postgres";

/** Where the database lives. */
export type DbTarget =
  /** A Postgres 14+ server (postgres-js). */
  | { url: string; /** Connection pool size; default 10. */ maxConnections?: number }
  /** Embedded PGlite persisted in a directory (created if missing). */
  | { pgliteDir: string; /** PGlite's own files, for a compiled binary (see PgliteAssets). */ pgliteAssets?: PgliteAssets }
  /** Embedded PGlite in memory, gone on close: for tests. */
  | { pglite: "memory" };

export type CreateDbOptions = DbTarget & {
  /**
   * The folder holding the drizzle-kit migrations. Defaults to packages/db/migrations,
   * found from this source file; a compiled binary must pass a folder it ships.
   */
  migrationsFolder?: string;
};

/**
 * PGlite's WebAssembly modules and file-system bundle, handed over explicitly when they
 * are not beside its JavaScript (inside a `bun build --compile` binary).
 */
export interface PgliteAssets {
  pgliteWasmModule: WebAssembly.Module;
  initdbWasmModule: WebAssembly.Module;
  fsBundle: Blob;
}

export interface DbHandle {
  db: Db;
  driver: DbDriver;
  /** Closes the pool or the PGlite instance. Safe to call twice. */
  close(): Promise<void>;
}

/** packages/db/migrations, resolved from this file so it works from any working directory. */
export const defaultMigrationsFolder = join(import.meta.dir, "..", "migrations");

/**
 * Session-level advisory lock key held while migrating Postgres, so that several
 * processes opening one database at once apply the migrations exactly once. Other
 * advisory locks in Vectron must use different keys.
 */
export const MIGRATION_LOCK_KEY = 0x7665_6374; // "vect"

/**
 * Session-level advisory lock key whose holder is the placement leader (the one process
 * running failover, re-replication and rebalancing). Distinct from MIGRATION_LOCK_KEY:
 * a leader holds it for as long as it lives, which must not block migrations.
 */
export const PLACEMENT_LEADER_LOCK_KEY = 0x706c_6163; // "plac"

/**
 * Opens the accounts and placement database and brings its schema up to date
 * (applying pending migrations is idempotent): PGlite for the embedded mode,
 * postgres-js when a URL is given.
 */
export async function createDb(options: CreateDbOptions): Promise<DbHandle> {
  const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder;
  if ("url" in options) return openPostgres(options.url, options.maxConnections ?? 10, migrationsFolder);
  if ("pgliteDir" in options) return openPglite(options.pgliteDir, migrationsFolder, options.pgliteAssets);
  if (options.pglite === "memory") return openPglite(undefined, migrationsFolder);
  throw new TypeError('createDb: pass { url }, { pgliteDir } or { pglite: "memory" }');
}

async function openPglite(dataDir: string | undefined, migrationsFolder: string, assets?: PgliteAssets): Promise<DbHandle> {
  const client = await PGlite.create(dataDir, { ...assets });
  try {
    const db = drizzlePglite({ client, schema });
    await migratePglite(db, { migrationsFolder });
    return { db: db as Db, driver: "pglite", close: once(() => client.close()) };
  } catch (err) {
    await client.close();
    throw err;
  }
}

async function openPostgres(url: string, max: number, migrationsFolder: string): Promise<DbHandle> {
  await migratePostgresLocked(url, migrationsFolder);
  // Notices ("relation already exists, skipping") are noise for an application.
  const client = postgres(url, { max, onnotice: () => {} });
  const db = drizzlePostgres({ client, schema });
  return { db: db as Db, driver: "postgres", close: once(() => client.end({ timeout: 5 })) };
}

/** Migrates over one dedicated connection that holds MIGRATION_LOCK_KEY throughout. */
async function migratePostgresLocked(url: string, migrationsFolder: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migratePostgres(drizzlePostgres({ client }), { migrationsFolder });
    await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
  } finally {
    // Ending the session also releases the lock if migrating failed.
    await client.end({ timeout: 5 });
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
