import { describe, expect, test } from "bun:test";
import type { Db } from "@vectron/db";
import { createAuth, type AuthOptions } from "./create-auth";

// Construction never touches the database, so a placeholder stands in for it here.
const base: AuthOptions = { db: {} as Db, jwtSecret: new Uint8Array(32) };

describe("createAuth refuses bad configuration at construction", () => {
  test("a JWT secret shorter than 32 bytes", () => {
    expect(() => createAuth({ ...base, jwtSecret: new Uint8Array(31) })).toThrow(/at least 32/);
    expect(() => createAuth({ ...base, jwtSecret: "a string secret" as never })).toThrow(/Uint8Array/);
  });

  test("a bcrypt cost below 10 or above 31", () => {
    expect(() => createAuth({ ...base, bcryptCost: 9 })).toThrow(/bcryptCost/);
    expect(() => createAuth({ ...base, bcryptCost: 32 })).toThrow(/bcryptCost/);
    expect(() => createAuth({ ...base, bcryptCost: 10.5 })).toThrow(/bcryptCost/);
  });

  test("a session TTL or cache TTL that is not a sane number", () => {
    expect(() => createAuth({ ...base, sessionTtlSeconds: 0 })).toThrow(/sessionTtlSeconds/);
    expect(() => createAuth({ ...base, apiKeyCacheTtlMs: -1 })).toThrow(/apiKeyCacheTtlMs/);
  });

  test("no database", () => {
    expect(() => createAuth({ ...base, db: undefined as never })).toThrow(/createDb/);
  });

  test("the defaults are accepted", () => {
    expect(Object.keys(createAuth(base)).sort()).toEqual([
      "authenticate",
      "createApiKey",
      "deleteApiKey",
      "getUser",
      "listApiKeys",
      "login",
      "refreshSession",
      "register",
      "verifyApiKey",
      "verifySession",
    ]);
  });
});
