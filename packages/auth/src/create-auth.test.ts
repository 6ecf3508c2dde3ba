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

  test("session keys: exactly one of jwtKeys and jwtSecret; kids well-formed and distinct; secrets of 32 bytes", () => {
    const key = (kid: string, bytes = 32) => ({ kid, secret: new Uint8Array(bytes) });
    expect(() => createAuth({ db: base.db })).toThrow(/exactly one of jwtKeys/);
    expect(() => createAuth({ ...base, jwtKeys: [key("a")] })).toThrow(/exactly one of jwtKeys/);
    const { jwtSecret: _, ...noSecret } = base;
    expect(() => createAuth({ ...noSecret, jwtKeys: [] })).toThrow(/at least one/);
    expect(() => createAuth({ ...noSecret, jwtKeys: [key("a"), key("a")] })).toThrow(/kid a appears twice/);
    expect(() => createAuth({ ...noSecret, jwtKeys: [key("a b")] })).toThrow(/kid "a b"/);
    expect(() => createAuth({ ...noSecret, jwtKeys: [key("")] })).toThrow(/kid ""/);
    expect(() => createAuth({ ...noSecret, jwtKeys: [key("a"), key("b", 31)] })).toThrow(/secret of kid b .*at least 32/);
    // A function source is checked at construction too.
    expect(() => createAuth({ ...noSecret, jwtKeys: () => [key("a", 8)] })).toThrow(/secret of kid a/);
    expect(Object.keys(createAuth({ ...noSecret, jwtKeys: [key("new"), key("old")] }))).toContain("login");
  });

  test("a session TTL above one hour, or a TTL that is not a sane number", () => {
    expect(() => createAuth({ ...base, sessionTtlSeconds: 0 })).toThrow(/sessionTtlSeconds/);
    expect(() => createAuth({ ...base, sessionTtlSeconds: 3601 })).toThrow(/sessionTtlSeconds must be an integer from 1 to 3600/);
    expect(() => createAuth({ ...base, sessionTtlSeconds: 86_400 })).toThrow(/RefreshToken/);
    expect(Object.keys(createAuth({ ...base, sessionTtlSeconds: 3600 }))).toContain("refreshSession");
    expect(() => createAuth({ ...base, apiKeyCacheTtlMs: -1 })).toThrow(/apiKeyCacheTtlMs/);
  });

  test("a maximum session age below the session TTL, or an API key limit that is not a positive integer", () => {
    expect(() => createAuth({ ...base, maxSessionAgeSeconds: 3599 })).toThrow(/maxSessionAgeSeconds must be an integer of at least sessionTtlSeconds \(3600\), got 3599/);
    expect(() => createAuth({ ...base, sessionTtlSeconds: 600, maxSessionAgeSeconds: 599 })).toThrow(/maxSessionAgeSeconds/);
    expect(() => createAuth({ ...base, maxSessionAgeSeconds: 86_400.5 })).toThrow(/maxSessionAgeSeconds/);
    expect(Object.keys(createAuth({ ...base, sessionTtlSeconds: 600, maxSessionAgeSeconds: 600 }))).toContain("refreshSession");
    expect(() => createAuth({ ...base, maxApiKeysPerUser: 0 })).toThrow(/maxApiKeysPerUser must be a positive integer, got 0/);
    expect(() => createAuth({ ...base, maxApiKeysPerUser: 2.5 })).toThrow(/maxApiKeysPerUser/);
  });

  test("throttle and password-check limits that are not positive integers", () => {
    expect(() => createAuth({ ...base, throttle: { failuresPerAccount: 0 } })).toThrow(/throttle.failuresPerAccount/);
    expect(() => createAuth({ ...base, throttle: { lockoutSeconds: 1.5 } })).toThrow(/throttle.lockoutSeconds/);
    expect(() => createAuth({ ...base, throttle: { registrationsPerNetwork: -1 } })).toThrow(/throttle.registrationsPerNetwork/);
    expect(() => createAuth({ ...base, passwordChecks: { maxConcurrent: 0 } })).toThrow(/passwordChecks.maxConcurrent/);
    expect(() => createAuth({ ...base, passwordChecks: { maxQueued: -1 } })).toThrow(/passwordChecks.maxQueued/);
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
