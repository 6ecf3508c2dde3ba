import { expect, test } from "bun:test";
import { openTestDb } from "@vectron/db/test-database";
import { freshEmail, manualClock, testAuth } from "./auth-test-kit";

test("while the database is unreachable, a key verified recently keeps working and an unseen one does not", async () => {
  const handle = await openTestDb("pglite");
  const clock = manualClock();
  const auth = testAuth(handle, { now: clock.now });
  const user = await auth.register(freshEmail(), "correct horse battery");
  const seen = await auth.createApiKey(user.id, "seen");
  const unseen = await auth.createApiKey(user.id, "unseen");
  expect(await auth.verifyApiKey(seen.key)).toEqual({ userId: user.id, keyId: seen.apiKey.id, readOnly: false, plan: "free" });
  clock.advance(60_000); // well past the cache TTL: a fresh lookup is due
  await handle.close();
  expect(await auth.verifyApiKey(seen.key)).toEqual({ userId: user.id, keyId: seen.apiKey.id, readOnly: false, plan: "free" });
  await expect(auth.verifyApiKey(unseen.key)).rejects.toThrow();
  clock.advance(10 * 60_000); // past the stale window as well
  await expect(auth.verifyApiKey(seen.key)).rejects.toThrow();
});
