import { closeSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A small tmpfs mounted on a fresh directory: a disk a test can fill. */
export interface Tmpfs {
  path: string;
  /** Bytes this process may still write there. */
  freeBytes(): number;
  /** Unmounts (lazily if something still holds it open) and removes the mount point. */
  unmount(): void;
}

/**
 * Mounts a tmpfs of `sizeMiB` MiB. Needs root (CAP_SYS_ADMIN), which the machines these
 * tests run on have; without it this throws, so the test fails: it never skips.
 */
export function mountTmpfs(sizeMiB: number): Tmpfs {
  const path = mkdtempSync(join(tmpdir(), "vectron-tmpfs-"));
  const mount = Bun.spawnSync(["mount", "-t", "tmpfs", "-o", `size=${sizeMiB}m`, "tmpfs", path]);
  if (mount.exitCode !== 0) {
    rmSync(path, { recursive: true, force: true });
    throw new Error(
      `mount -t tmpfs -o size=${sizeMiB}m tmpfs ${path} failed (exit ${mount.exitCode}: ${mount.stderr.toString().trim()}); ` +
        "this test puts a data directory on a small file system to fill it and must run as root",
    );
  }
  return {
    path,
    freeBytes() {
      const stats = statfsSync(path);
      return Number(stats.bavail) * Number(stats.bsize);
    },
    unmount() {
      if (Bun.spawnSync(["umount", path]).exitCode !== 0) Bun.spawnSync(["umount", "-l", path]);
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/**
 * Writes `path` until the file system holding it has at most `leaveBytes` free (0: until
 * it refuses a single block). Returns the bytes written.
 */
export function fillDisk(disk: Tmpfs, path: string, leaveBytes = 0): number {
  const fd = openSync(path, "w");
  let written = 0;
  try {
    for (const chunk of [1 << 20, 64 << 10, 4 << 10]) {
      const block = new Uint8Array(chunk).fill(0x5a);
      while (disk.freeBytes() - chunk >= leaveBytes) {
        try {
          written += writeSync(fd, block);
        } catch (error) {
          if ((error as { code?: string }).code !== "ENOSPC") throw error;
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}
