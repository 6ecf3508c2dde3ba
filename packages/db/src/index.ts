export * as schema from "./schema";
export * from "./schema";
export {
  createDb,
  defaultMigrationsFolder,
  MIGRATION_LOCK_KEY,
  PLACEMENT_LEADER_LOCK_KEY,
  type CreateDbOptions,
  type Db,
  type DbDriver,
  type DbHandle,
  type DbTarget,
  type PgliteAssets,
} from "./create-db";
export { embeddedMigrations, writeEmbeddedMigrations } from "./embedded-migrations";
export { executeRows } from "./execute-rows";
export {
  createSessionAdvisoryLock,
  type SessionAdvisoryLock,
  type SessionAdvisoryLockOptions,
} from "./session-advisory-lock";
export { pingDatabase } from "./database-reachable";
