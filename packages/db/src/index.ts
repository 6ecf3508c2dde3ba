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
} from "./create-db";
export { executeRows } from "./execute-rows";
export {
  createSessionAdvisoryLock,
  type SessionAdvisoryLock,
  type SessionAdvisoryLockOptions,
} from "./session-advisory-lock";
