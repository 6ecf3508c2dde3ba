import { VectronError } from "@vectron/rpc-errors";
import { isDiskFull } from "@vectron/shard-store";

/**
 * A failed write to the storage of shard `key` as the client sees it: a full disk (the
 * store's ERR_DISK_FULL, or ENOSPC from the worker's own files) becomes
 * resource_exhausted "disk full: ...", which says what to do, where it would otherwise
 * be an internal error. The message names no path (it goes to the client); the store's
 * error stays as the cause. Any other error is returned unchanged.
 */
export function diskFullForClient(key: string, error: unknown): unknown {
  if (!isDiskFull(error)) return error;
  return new VectronError(
    "resource_exhausted",
    `disk full: shard ${key} cannot store the change: the worker's data disk has no space left`,
    { cause: error },
  );
}
