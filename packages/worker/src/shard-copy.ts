import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";

/**
 * A consistent copy of a shard replica's SQLite database (ShardStore.copyTo), made for a
 * SnapshotShard call: a file of its own under `<dataDir>/shard-copies/`, deleted once
 * streamed, and at the worker's start (copies a crash left behind).
 */
export interface ShardCopy {
  path: string;
  bytes: number;
  /** The shard's last sequence and live point count in the copy. */
  lastSeq: number;
  count: number;
}

/** The directory holding copies in the making or being streamed. */
export function shardCopiesDirOf(dataDir: string): string {
  return join(dataDir, "shard-copies");
}

/** A new, unused path for a copy of the shard `key` (`<collectionId>/<shardId>`). */
export function newShardCopyPath(dataDir: string, key: string): string {
  const dir = shardCopiesDirOf(dataDir);
  mkdirSync(dir, { recursive: true });
  return join(dir, `${key.replace("/", "-")}-${crypto.randomUUID()}.sqlite`);
}

/** Removes every copy: called when the worker starts, before any call can make one. */
export function removeShardCopies(dataDir: string): void {
  rmSync(shardCopiesDirOf(dataDir), { recursive: true, force: true });
}
