import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { availableParallelism } from "node:os";
import type { DbHandle } from "@vectron/db";
import { openTestDb } from "@vectron/db/test-database";
import { VectronError } from "@vectron/rpc-errors";
import { expectError, freshEmail, testAuth } from "./auth-test-kit";
import { nodeRsBcrypt, TOO_MANY_PASSWORD_CHECKS, type BcryptFunctions } from "./password-hasher";

/** The real bcrypt, counting how many calls are inside it at once; each call first waits for `before()`. */
function countingBcrypt(before: () => Promise<void> = async () => {}) {
  const counts = { inFlight: 0, peak: 0, calls: 0 };
  const counted =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      counts.calls++;
      counts.peak = Math.max(counts.peak, ++counts.inFlight);
      try {
        await before();
        return await call(...args);
      } finally {
        counts.inFlight--;
      }
    };
  const bcrypt: BcryptFunctions = { hash: counted(nodeRsBcrypt.hash), verify: counted(nodeRsBcrypt.verify) };
  return { bcrypt, counts };
}

const password = "correct horse battery";

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

describe("password checks are bounded", () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await openTestDb("pglite");
  });
  afterAll(() => handle?.close());

  test("50 concurrent logins at cost 12: at most one bcrypt per CPU at once, while cheap calls and the event loop stay prompt", async () => {
    const { bcrypt, counts } = countingBcrypt();
    const auth = testAuth(handle, { bcryptCost: 12, bcrypt, passwordChecks: { maxQueued: 64 } });
    // Ten accounts, five logins at once each (an email admits at most five attempts in progress).
    const emails = Array.from({ length: 10 }, () => freshEmail());
    const accounts = await Promise.all(emails.map((email) => auth.register(email, password)));
    const { key } = await auth.createApiKey(accounts[0]!.id, "k");
    await auth.verifyApiKey(key); // cached from here on

    let pending = 50;
    const logins = Array.from({ length: 50 }, (_, i) => auth.login(emails[i % 10]!, password).finally(() => pending--));
    // Meanwhile: the event loop's lag, and key checks served from the cache.
    const lagsMs: number[] = [];
    const cheapCallsMs: number[] = [];
    while (pending > 0) {
      const timerAt = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 20));
      lagsMs.push(performance.now() - timerAt - 20);
      const callAt = performance.now();
      await auth.verifyApiKey(key);
      if (pending > 0) cheapCallsMs.push(performance.now() - callAt);
    }
    const sessions = await Promise.all(logins);

    expect(sessions.map((s) => s.user.id)).toEqual(Array.from({ length: 50 }, (_, i) => accounts[i % 10]!.id));
    expect(counts.calls).toBe(10 + 50); // the registrations' hashes and 50 verifies: the real bcrypt ran
    expect(counts.peak).toBe(availableParallelism()); // the default bound, and it was reached
    // Each bcrypt at cost 12 takes about a quarter second, so the flood lasts seconds; a
    // cached key check or a timer must not wait for it. (Unbounded, 50 hashes would each
    // get 1/25 of a core and take seconds.) Percentiles, not maxima: the machine is shared.
    expect(cheapCallsMs.length).toBeGreaterThan(10);
    expect(percentile(cheapCallsMs, 0.95)).toBeLessThan(50);
    expect(percentile(lagsMs, 0.5)).toBeLessThan(20);
    expect(percentile(lagsMs, 0.95)).toBeLessThan(100);
  });

  test("beyond the bounded queue a password check is refused with resource_exhausted, and is not counted as a failed login", async () => {
    // bcrypt calls are held until every login has been admitted or refused, so that the
    // outcome does not depend on how fast the machine is.
    let hold: Promise<void> | undefined;
    let release = () => {};
    const { bcrypt, counts } = countingBcrypt(() => hold ?? Promise.resolve());
    const auth = testAuth(handle, { bcrypt, passwordChecks: { maxConcurrent: 1, maxQueued: 2 } });
    const email = freshEmail();
    await auth.register(email, password);
    await expectError(auth.login(freshEmail("warm-up"), password), "unauthenticated"); // makes the dummy hash
    hold = new Promise((resolve) => (release = resolve));
    // Ten emails at once, so that only the bound on password checks refuses any; the
    // account's comes last, so its check is (almost surely) among those refused.
    const emails = [...Array.from({ length: 9 }, () => freshEmail("other")), email];
    let refused = 0;
    const outcomes = emails.map((address) =>
      auth.login(address, "wrong password").then(
        () => "logged in",
        (err: VectronError) => {
          if (err.code === "resource_exhausted") refused++;
          return `${err.code}: ${err.message}`;
        },
      ),
    );
    for (let waited = 0; refused < 7 && waited < 5000; waited += 10) await Bun.sleep(10);
    release();
    hold = undefined;
    const settled = await Promise.all(outcomes);
    expect(settled.filter((o) => o === "unauthenticated: invalid email or password")).toHaveLength(3);
    expect(settled.filter((o) => o === `resource_exhausted: ${TOO_MANY_PASSWORD_CHECKS}`)).toHaveLength(7);
    expect(counts.peak).toBe(1);
    // Whether or not `email` was among the three checked, a refused check was not a
    // failure: at most one failure is counted, so four more are needed to lock it.
    const counted = settled[9]!.startsWith("unauthenticated") ? 1 : 0;
    for (let i = counted; i < 4; i++) await expectError(auth.login(email, "wrong password"), "unauthenticated");
    expect((await auth.login(email, password)).user.email).toBe(email);
    for (let i = 0; i < 5; i++) await expectError(auth.login(email, "wrong password"), "unauthenticated");
    await expectError(auth.login(email, password), "resource_exhausted", /too many failed logins/);
  });

  test("registrations share the bound", async () => {
    const { bcrypt, counts } = countingBcrypt();
    const auth = testAuth(handle, { bcrypt, passwordChecks: { maxConcurrent: 2, maxQueued: 1 } });
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () => auth.register(freshEmail(), password).then(() => "ok", (err: VectronError) => err.code)),
    );
    expect(outcomes.sort()).toEqual(["ok", "ok", "ok", "resource_exhausted", "resource_exhausted", "resource_exhausted"]);
    expect(counts.peak).toBe(2);
  });
});
