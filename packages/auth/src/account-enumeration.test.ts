import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { DbHandle } from "@vectron/db";
import { openTestDb } from "@vectron/db/test-database";
import { expectError, freshEmail, testAuth } from "./auth-test-kit";
import type { Auth } from "./create-auth";

/*
 * Whether an email has an account must not show in the answers of RegisterUser and
 * Login, nor in how long they take. The timings are compared loosely (the median ratio
 * of back-to-back pairs within 25%) since the machine is shared; what they catch is a
 * path that skips bcrypt or does it twice, which would be several times off.
 */

const password = "correct horse battery";
const SAMPLES = 25;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Runs `a` and `b` back to back `SAMPLES` times (alternating which goes first) and
 * returns the median of the ratios of their durations: a pair shares the machine's load
 * of the moment, so load that drifts over the test cancels out.
 */
async function medianTimeRatio(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<number> {
  const timed = async (run: () => Promise<unknown>) => {
    const start = performance.now();
    await run();
    return performance.now() - start;
  };
  const ratios: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    if (i % 2) {
      const tb = await timed(b);
      ratios.push((await timed(a)) / tb);
    } else {
      const ta = await timed(a);
      ratios.push(ta / (await timed(b)));
    }
  }
  return median(ratios);
}

/** The faster takes at least 75% of the time of the slower. */
function expectOverlapping(ratio: number) {
  expect(Math.min(ratio, 1 / ratio)).toBeGreaterThanOrEqual(0.75);
}

describe("answers do not tell which emails have accounts", () => {
  let handle: DbHandle;
  let auth: Auth;
  let taken: string;

  beforeAll(async () => {
    handle = await openTestDb("pglite");
    // Throttling would lock the repeated failures below; it is tested on its own.
    auth = testAuth(handle, { bcryptCost: 11, throttle: { failuresPerAccount: 10_000, failuresPerNetwork: 10_000 } });
    taken = freshEmail("taken");
    await auth.register(taken, password);
  });
  afterAll(() => handle?.close());

  test("RegisterUser takes as long for a taken email as for a new one", async () => {
    await auth.register(freshEmail(), password); // warm-up
    expectOverlapping(await medianTimeRatio(() => auth.register(freshEmail(), password), () => auth.register(taken, password)));
  }, 120_000);

  test("Login fails the same way, in the same time, for an unknown email and a wrong password", async () => {
    const unknown = await expectError(auth.login(freshEmail("nobody"), password), "unauthenticated"); // also makes the dummy hash
    const wrong = await expectError(auth.login(taken, "wrong password"), "unauthenticated");
    expect(unknown.message).toBe(wrong.message);
    expectOverlapping(
      await medianTimeRatio(
        () => auth.login(freshEmail("nobody"), password).catch(() => {}),
        () => auth.login(taken, "wrong password").catch(() => {}),
      ),
    );
  }, 120_000);
});
