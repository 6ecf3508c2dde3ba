import { closeSync, existsSync, openSync, readSync, renameSync, rmSync } from "node:fs";
import { fsyncPath } from "@vectron/durable-file";
import { join } from "node:path";
import type { Index } from "usearch";
import { deviceIsNearlyFull, diskFullError, isDiskFull } from "./disk-full";

/**
 * The saved index file of a shard replica. usearch aborts the whole process
 * (std::bad_alloc) when asked to load a corrupt or truncated file, so a file is loaded
 * only if its SHA-256 matches a checksum recorded in SQLite when it was written.
 */

/** Where the index of the replica in `dir` is saved. */
export function indexFilePath(dir: string): string {
  return join(dir, "index.usearch");
}

function tempFilePath(dir: string): string {
  return join(dir, "index.usearch.tmp");
}

/**
 * Writes the index to a temporary file, fsyncs it and returns its checksum. The caller
 * records the checksum, then calls publishIndexFile; until then the previous file, if
 * any, stays in place. If the write fails the temporary file is removed (a half-written
 * index can be as large as the space left), and a full disk throws ERR_DISK_FULL.
 */
export function writeIndexFile(dir: string, index: Index): string {
  const temp = tempFilePath(dir);
  try {
    index.save(temp);
    fsyncPath(temp, "r+");
    return checksumOf(temp);
  } catch (error) {
    // usearch says only "Failed to serialize into stream": ask the file system, before
    // the removal below gives the space back.
    const full = deviceIsNearlyFull(dir) || isDiskFull(error);
    removeTempIndexFile(dir);
    throw full ? diskFullError(`saving the index of ${dir}`, error) : error;
  }
}

/** Atomically replaces the saved index with the temporary file and makes it durable. */
export function publishIndexFile(dir: string): void {
  renameSync(tempFilePath(dir), indexFilePath(dir));
  // The rename lives in the directory entry: sync the directory for it to survive.
  fsyncPath(dir, "r");
}

/** Removes a temporary file left by a crash during a save. */
export function removeTempIndexFile(dir: string): void {
  rmSync(tempFilePath(dir), { force: true });
}

/** SHA-256 (hex) of the saved index, or null when there is none. */
export function savedIndexChecksum(dir: string): string | null {
  const path = indexFilePath(dir);
  return existsSync(path) ? checksumOf(path) : null;
}

/** Streams the file through SHA-256 so a large index is never held twice in memory. */
function checksumOf(path: string): string {
  const hasher = new Bun.CryptoHasher("sha256");
  const buffer = new Uint8Array(1 << 22);
  const fd = openSync(path, "r");
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      hasher.update(buffer.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
  return hasher.digest("hex");
}
