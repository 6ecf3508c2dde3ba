import { lstatSync } from "node:fs";
import { join, relative, resolve, isAbsolute } from "node:path";

/** The name of shard n's copy in a snapshot (see shardFileName). */
export const SHARD_FILE_PATTERN = /^shard-\d+\.sqlite$/;

/**
 * Checks a file name read from a snapshot's manifest, `entry` saying where (e.g.
 * `shards[0].file`): it must be a plain name of a file directly in the snapshot
 * directory, never a path ("/", "\\", "..", NUL), so a crafted manifest cannot make
 * restore read (and upload) a file from elsewhere. Answers the name.
 */
export function checkSnapshotFileName(entry: string, name: unknown): string {
  if (typeof name !== "string" || name === "") throw new Error(`manifest ${entry}: must be a file name, not ${JSON.stringify(name)}`);
  if (name === "." || name.includes("..") || /[/\\\0]/.test(name)) {
    throw new Error(`manifest ${entry}: ${JSON.stringify(name)} is not a plain file name in the snapshot directory (no "/", "\\", ".." or NUL)`);
  }
  return name;
}

/**
 * The path of the snapshot file `name` (already checked by checkSnapshotFileName) in
 * `dir`, once it is known to stay inside `dir` and to be a regular file there: not a
 * symbolic link (which could point anywhere), a directory or a FIFO (which would hang
 * the reader). Throws naming the manifest entry otherwise.
 */
export function regularSnapshotFile(dir: string, entry: string, name: string): string {
  const root = resolve(dir);
  const path = resolve(root, name);
  const inside = relative(root, path);
  if (inside === "" || inside.startsWith("..") || isAbsolute(inside)) {
    throw new Error(`manifest ${entry}: ${JSON.stringify(name)} is outside the snapshot directory ${root}`);
  }
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (!stat) throw new Error(`manifest ${entry}: ${join(root, name)} is missing`);
  if (stat.isSymbolicLink()) throw new Error(`manifest ${entry}: ${path} is a symbolic link; a snapshot's files must be regular files`);
  if (!stat.isFile()) throw new Error(`manifest ${entry}: ${path} is not a regular file`);
  return path;
}
