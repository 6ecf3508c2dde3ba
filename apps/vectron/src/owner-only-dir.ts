import { chmodSync, mkdirSync } from "node:fs";

/**
 * `path` as a directory only its owner can enter: created with mode 0700, or narrowed
 * to it when it exists with a wider mode. What is inside may be created with the
 * process umask (the embedded database's files, say); the directory keeps others out.
 */
export function ownerOnlyDir(path: string): string {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chmodSync(path, 0o700);
  return path;
}
