import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** Flushes a file or directory to disk. Directories need it for renames to survive a crash. */
export function fsyncPath(path: string, flags: "r" | "r+" = "r"): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a small file so that after a crash or power loss it holds either its old
 * content or the new one in full, never a truncated mix: write a temporary file, fsync
 * it, rename it over the target, fsync the directory. If writing fails (ENOSPC...) the
 * temporary file is removed and the target keeps its old content.
 */
export function writeFileAtomically(path: string, data: string | Uint8Array, mode = 0o644): void {
  const temp = `${path}.tmp`;
  try {
    writeFileSync(temp, data, { mode });
    fsyncPath(temp, "r+");
  } catch (error) {
    // A partial temporary file (a full disk, say) would only hold on to the space.
    rmSync(temp, { force: true });
    throw error;
  }
  renameSync(temp, path);
  fsyncPath(dirname(path));
}
