import { expect, test } from "bun:test";
import { Code } from "@connectrpc/connect";
import { isOutOfSpace } from "./out-of-space";
import { toConnectError } from "./to-connect-error";

/** An error as a driver throws it: a message and a string code. */
function coded(message: string, code: string, cause?: unknown): Error {
  return Object.assign(new Error(message, { cause }), { code });
}

test("a write refused for lack of space, however deeply wrapped, is resource_exhausted 'disk full'; its cause is logged, not sent", () => {
  // drizzle keeps the PGlite/postgres error (SQLSTATE 53100) as the cause of its own.
  const postgres = new Error("Failed query: insert into users ...", { cause: coded('could not extend file "base/5/16385": No space left on device', "53100") });
  for (const err of [postgres, coded("database or disk is full", "SQLITE_FULL"), coded("ENOSPC: no space left on device, write", "ENOSPC")]) {
    const logged: unknown[] = [];
    const answer = toConnectError(err, (_message, cause) => logged.push(cause));
    expect(answer.code).toBe(Code.ResourceExhausted);
    expect(answer.rawMessage).toMatch(/^disk full: /);
    expect(answer.rawMessage).not.toContain("base/5");
    expect(logged).toEqual([err]);
  }
  // Other storage errors stay internal: a unique violation, a busy database, a missing file.
  for (const err of [coded("duplicate key", "23505"), coded("database is locked", "SQLITE_BUSY"), coded("no such file", "ENOENT"), new Error("53100")]) {
    expect(isOutOfSpace(err)).toBe(false);
    expect(toConnectError(err, () => {}).code).toBe(Code.Internal);
  }
});
