/**
 * Storage that refused a write for lack of space, from whichever layer it comes: Postgres
 * or PGlite (SQLSTATE 53100 disk_full: "could not extend file"), SQLite (SQLITE_FULL),
 * or the file system (ENOSPC, EDQUOT). Drivers wrap the original error (drizzle keeps
 * it as `cause`), so the chain of causes is searched.
 */
const outOfSpaceCodes = new Set(["53100", "SQLITE_FULL", "ENOSPC", "EDQUOT"]);

/** `err` and the errors it wraps (`cause`), outermost first; at most 8 deep. */
export function* causesOf(err: unknown): Generator<Error> {
  for (let at = err, depth = 0; at instanceof Error && depth < 8; at = at.cause, depth++) yield at;
}

/** True when this one error's code says the storage has no space left. */
export function hasOutOfSpaceCode(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && outOfSpaceCodes.has(code);
}

/** True when `err`, or an error it wraps, says the storage has no space left. */
export function isOutOfSpace(err: unknown): boolean {
  for (const at of causesOf(err)) if (hasOutOfSpaceCode(at)) return true;
  return false;
}

/** What the client is told: what happened and that it is not its request's fault. */
export const outOfSpaceMessage = "disk full: the server has no space left to store this change";
