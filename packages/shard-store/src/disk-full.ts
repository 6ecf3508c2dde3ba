import { statfsSync } from "node:fs";
import { causesOf, hasOutOfSpaceCode } from "@vectron/rpc-errors";
import { ShardStoreError } from "./shard-store-error";

/**
 * Recognising a write that failed because the device holding a shard is out of space,
 * so that it reaches the client as "disk full" (resource_exhausted) instead of an
 * internal error, and the operator knows what to do.
 */

/**
 * True when `error` (or an error it wraps) says the device is full: SQLite's SQLITE_FULL
 * or the file system's ENOSPC/EDQUOT (the one list, in @vectron/rpc-errors), or a store
 * error already saying so; another store error decides for what it wraps.
 */
export function isDiskFull(error: unknown): boolean {
  for (const at of causesOf(error)) {
    if (at instanceof ShardStoreError) return at.code === "ERR_DISK_FULL";
    if (hasOutOfSpaceCode(at)) return true;
  }
  return false;
}

/**
 * `error` as ERR_DISK_FULL with a message saying what could not be written, when it is a
 * full disk; any other error unchanged. The original stays as the cause, for the log.
 */
export function asDiskFull(error: unknown, what: string): unknown {
  if (!isDiskFull(error) || error instanceof ShardStoreError) return error;
  return diskFullError(what, error);
}

/** Runs `write`; a full disk becomes ERR_DISK_FULL saying what could not be written. */
export function withDiskFull<T>(what: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    throw asDiskFull(error, what);
  }
}

/** ERR_DISK_FULL: "disk full: <what>: <the cause's message>". */
export function diskFullError(what: string, cause: unknown): ShardStoreError {
  return new ShardStoreError("ERR_DISK_FULL", `disk full: ${what}: ${reasonOf(cause)}`, { cause });
}

/**
 * Below this much free space, a write that failed without saying why (usearch's save
 * reports only "Failed to serialize into stream") is taken to have failed for lack of
 * space: a failed write on a full device leaves it with less than a block or two free.
 */
const nearlyFullBytes = 1 << 20;

/** True when the file system holding `path` has (almost) no space left for this process. */
export function deviceIsNearlyFull(path: string): boolean {
  try {
    const stats = statfsSync(path);
    return Number(stats.bavail) * Number(stats.bsize) < nearlyFullBytes;
  } catch {
    return false;
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
