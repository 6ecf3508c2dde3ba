import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { DbHandle } from "@vectron/db";
import { openTestDb } from "@vectron/db/test-database";
import { expectError, freshEmail, manualClock, testAuth } from "./auth-test-kit";
import type { Auth } from "./create-auth";

const password = "correct horse battery";
const MINUTE = 60_000;
/** The lockout message, with its time and countdown, for a lock that ends at `untilMs` seen at `nowMs`. */
const lockedUntil = (what: string, untilMs: number, nowMs: number) =>
  `${what}; retry after ${new Date(untilMs).toISOString()} (in ${Math.ceil((untilMs - nowMs) / 1000)} s)`;

describe("throttling of failed logins and of registrations (default limits)", () => {
  let handle: DbHandle;
  let auth: Auth;
  const clock = manualClock(Date.parse("2026-11-21T12:00:00Z"));
  let address = 0;
  /** A client address no other test uses. */
  const freshClient = () => ({ address: `198.51.100.${++address}` });

  beforeAll(async () => {
    handle = await openTestDb("pglite");
    auth = testAuth(handle, { now: clock.now });
  });
  afterAll(() => handle?.close());

  async function failLogins(email: string, times: number, client = freshClient()) {
    for (let i = 0; i < times; i++) await expectError(auth.login(email, "wrong password", client), "unauthenticated");
  }

  test("5 failures within 15 minutes lock the email for 15 minutes, even for the right password and from elsewhere", async () => {
    const email = freshEmail();
    await auth.register(email, password);
    await failLogins(email, 4);
    clock.advance(14 * MINUTE); // the 5 failures span just under the window
    await failLogins(email, 1);
    const lockedAt = clock.now().getTime();
    const locked = await expectError(auth.login(email, password, freshClient()), "resource_exhausted");
    expect(locked.message).toBe(lockedUntil("too many failed logins", lockedAt + 15 * MINUTE, lockedAt));
    await expectError(auth.login(email.toUpperCase(), password), "resource_exhausted", /retry after/);
    clock.advance(15 * MINUTE - 1);
    await expectError(auth.login(email, password), "resource_exhausted", /\(in 1 s\)$/);
    clock.advance(1);
    expect((await auth.login(email, password)).user.email).toBe(email);
  });

  test("failures older than the window do not count", async () => {
    const email = freshEmail();
    await auth.register(email, password);
    await failLogins(email, 4);
    clock.advance(15 * MINUTE);
    await failLogins(email, 4);
    expect((await auth.login(email, password)).user.email).toBe(email);
  });

  test("a successful login clears the email's failures", async () => {
    const email = freshEmail();
    await auth.register(email, password);
    await failLogins(email, 4);
    await auth.login(email, password);
    await failLogins(email, 4);
    await auth.login(email, password);
    await failLogins(email, 5);
    await expectError(auth.login(email, password), "resource_exhausted");
  });

  test("guesses sent in parallel cannot outrun the count: attempts in progress count toward the limit", async () => {
    const email = freshEmail();
    await auth.register(email, password);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () =>
        auth.login(email, "wrong password", freshClient()).then(
          () => "logged in",
          (err: { code: string; message: string }) => `${err.code}: ${err.message}`,
        ),
      ),
    );
    expect(outcomes.filter((o) => o === "unauthenticated: invalid email or password")).toHaveLength(5);
    expect(outcomes.filter((o) => o === "resource_exhausted: too many login attempts in progress; retry shortly")).toHaveLength(15);
    await expectError(auth.login(email, password), "resource_exhausted", /too many failed logins; retry after/);
  });

  test("an email without an account locks after the same failures, with the same answer", async () => {
    const known = freshEmail("known");
    const unknown = freshEmail("unknown");
    await auth.register(known, password);
    await failLogins(known, 5);
    await failLogins(unknown, 5);
    const knownLocked = await expectError(auth.login(known, password), "resource_exhausted");
    const unknownLocked = await expectError(auth.login(unknown, password), "resource_exhausted");
    expect(unknownLocked.message).toBe(knownLocked.message);
  });

  test("20 failures from one address within 15 minutes lock that address for every email, not other addresses", async () => {
    const attacker = freshClient();
    const victim = freshEmail("victim");
    await auth.register(victim, password);
    for (let i = 0; i < 20; i++) await failLogins(freshEmail("guess"), 1, attacker);
    const lockedAt = clock.now().getTime();
    const locked = await expectError(auth.login(victim, password, attacker), "resource_exhausted");
    expect(locked.message).toBe(lockedUntil("too many failed logins", lockedAt + 15 * MINUTE, lockedAt));
    expect((await auth.login(victim, password, freshClient())).user.email).toBe(victim);
    expect((await auth.login(victim, password)).user.email).toBe(victim); // address unknown: only per-email limits
    clock.advance(15 * MINUTE);
    expect((await auth.login(victim, password, attacker)).user.email).toBe(victim);
  });

  test("the addresses of one IPv6 /64 count together; IPv4-mapped addresses count as the IPv4 address", async () => {
    for (let i = 0; i < 20; i++) await failLogins(freshEmail("v6"), 1, { address: `2001:db8:7:7::${(i + 1).toString(16)}` });
    await expectError(auth.login(freshEmail(), password, { address: "2001:db8:7:7:ffff::1" }), "resource_exhausted");
    await expectError(auth.login(freshEmail(), password, { address: "2001:db8:7:8::1" }), "unauthenticated");
    const v4 = freshClient();
    for (let i = 0; i < 20; i++) await failLogins(freshEmail("v4"), 1, i % 2 ? v4 : { address: `::ffff:${v4.address}` });
    await expectError(auth.login(freshEmail(), password, v4), "resource_exhausted");
  });

  test("a loopback peer (this host, or a reverse proxy on it) is limited per email only", async () => {
    const loopback = { address: "127.0.0.1" };
    const email = freshEmail();
    await auth.register(email, password, loopback);
    for (let i = 0; i < 25; i++) await failLogins(freshEmail("local"), 1, loopback);
    expect((await auth.login(email, password, loopback)).user.email).toBe(email);
    await failLogins(email, 5, loopback);
    await expectError(auth.login(email, password, loopback), "resource_exhausted");
    for (let i = 0; i < 25; i++) await auth.register(freshEmail("local"), password, { address: "::1" });
  });

  test("20 registrations per address per hour; then resource_exhausted until the hour is over; other addresses unaffected", async () => {
    const client = freshClient();
    for (let i = 0; i < 20; i++) await auth.register(freshEmail("reg"), password, client);
    const at = clock.now().getTime();
    const refused = await expectError(auth.register(freshEmail("reg"), password, client), "resource_exhausted");
    expect(refused.message).toBe(lockedUntil("too many registrations from this address", at + 60 * MINUTE, at));
    await auth.register(freshEmail("reg"), password, freshClient());
    clock.advance(60 * MINUTE);
    await auth.register(freshEmail("reg"), password, client);
  });
});

test("the limits are configurable", async () => {
  const handle = await openTestDb("pglite");
  try {
    const clock = manualClock();
    const auth = testAuth(handle, {
      now: clock.now,
      throttle: { failuresPerAccount: 2, failureWindowSeconds: 60, lockoutSeconds: 30, failuresPerNetwork: 3, registrationsPerNetwork: 1 },
    });
    const email = freshEmail();
    await auth.register(email, password, { address: "192.0.2.1" });
    await expectError(auth.register(freshEmail(), password, { address: "192.0.2.1" }), "resource_exhausted", /\(in 3600 s\)$/);
    for (let i = 0; i < 2; i++) await expectError(auth.login(email, "wrong password"), "unauthenticated");
    await expectError(auth.login(email, password), "resource_exhausted", /\(in 30 s\)$/);
    clock.advance(30_000);
    await auth.login(email, password);
    for (const other of [freshEmail(), freshEmail()]) await expectError(auth.login(other, "wrong", { address: "192.0.2.9" }), "unauthenticated");
    await expectError(auth.login(freshEmail(), "wrong", { address: "192.0.2.9" }), "unauthenticated");
    await expectError(auth.login(email, password, { address: "192.0.2.9" }), "resource_exhausted");
  } finally {
    await handle.close();
  }
});
