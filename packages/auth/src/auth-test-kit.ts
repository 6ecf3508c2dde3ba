/**
 * Shared pieces of the auth tests (not shipped: nothing in src/index.ts imports this).
 */
import { expect } from "bun:test";
import type { DbHandle } from "@vectron/db";
import { VectronError, type ErrorCode } from "@vectron/rpc-errors";
import { createAuth, type Auth, type AuthOptions } from "./create-auth";

export const testSecret = new TextEncoder().encode("test-secret-of-at-least-32-bytes!!");

/** A clock tests move by hand. */
export function manualClock(start = Date.now()) {
  let nowMs = start;
  return {
    now: () => new Date(nowMs),
    advance(ms: number) {
      nowMs += ms;
    },
  };
}

/** An Auth over a test database with test settings (bcrypt cost 10). */
export function testAuth(handle: DbHandle, options: Partial<AuthOptions> = {}): Auth {
  return createAuth({ db: handle.db, jwtSecret: testSecret, bcryptCost: 10, ...options });
}

let counter = 0;
/** An email no other test uses. */
export function freshEmail(label = "user"): string {
  return `${label}-${Date.now().toString(36)}-${++counter}@example.com`;
}

/** Asserts that `promise` rejects with a VectronError of `code` whose message matches. */
export async function expectError(promise: Promise<unknown>, code: ErrorCode, message?: RegExp): Promise<VectronError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VectronError);
  const vectronError = err as VectronError;
  expect(vectronError.code).toBe(code);
  if (message) expect(vectronError.message).toMatch(message);
  return vectronError;
}
