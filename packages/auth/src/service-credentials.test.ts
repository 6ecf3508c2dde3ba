import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { create, toJson } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, createRouterTransport, type Client } from "@connectrpc/connect";
import { eq } from "drizzle-orm";
import { decodeProtectedHeader } from "jose";
import { users, type DbDriver, type DbHandle } from "@vectron/db";
import { openTestDb } from "@vectron/db/test-database";
import { AuthService, RegisterUserResponseSchema } from "@vectron/proto/auth/v1";
import { createErrorInterceptor } from "@vectron/rpc-errors";
import { freshEmail, manualClock, testAuth } from "./auth-test-kit";
import type { Auth } from "./create-auth";
import { createAuthServiceImpl } from "./service-impl";

/** Where these tests say the client is; in serve.ts the listeners set the real header. */
const TEST_ADDRESS_HEADER = "x-test-client-address";

async function failure(call: Promise<unknown>): Promise<{ code: Code; message: string }> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConnectError);
  return { code: (err as ConnectError).code, message: (err as ConnectError).rawMessage };
}

const bearer = (credential: string) => ({ headers: { authorization: `Bearer ${credential}` } });
const from = (address: string) => ({ headers: { [TEST_ADDRESS_HEADER]: address } });

for (const driver of ["pglite", "postgres"] satisfies DbDriver[]) {
  describe(`credential rules over Connect on ${driver}`, () => {
    let handle: DbHandle;
    let auth: Auth;
    let client: Client<typeof AuthService>;
    const clock = manualClock();
    const password = "correct horse battery";

    beforeAll(async () => {
      handle = await openTestDb(driver);
      auth = testAuth(handle, { now: clock.now, sessionTtlSeconds: 600 });
      const impl = createAuthServiceImpl(auth, { clientAddressOf: (ctx) => ctx.requestHeader.get(TEST_ADDRESS_HEADER) ?? undefined });
      const transport = createRouterTransport((router) => router.service(AuthService, impl), {
        router: { interceptors: [createErrorInterceptor(() => {})] },
      });
      client = createClient(AuthService, transport);
    });
    afterAll(() => handle?.close());

    async function signUp() {
      const email = freshEmail();
      const { user } = await client.registerUser({ email, password });
      const login = await client.login({ email, password });
      return { user: user!, email, token: login.token, expiresAt: timestampDate(login.expiresAt!) };
    }

    describe("RefreshToken", () => {
      test("a valid session gets a new token, expiring a full lifetime from now, that works", async () => {
        const { user, token, expiresAt } = await signUp();
        clock.advance(300_000);
        const refreshed = await client.refreshToken({}, bearer(token));
        expect(refreshed.token).not.toBe(token);
        expect(timestampDate(refreshed.expiresAt!).getTime()).toBe(expiresAt.getTime() + 300_000);
        expect(decodeProtectedHeader(refreshed.token).kid).toBe(decodeProtectedHeader(token).kid);
        clock.advance(400_000); // the first token has expired; the refreshed one has not
        expect((await failure(client.getUserProfile({}, bearer(token)))).code).toBe(Code.Unauthenticated);
        expect((await client.getUserProfile({}, bearer(refreshed.token))).user?.id).toBe(user.id);
        expect((await client.refreshToken({}, bearer(refreshed.token))).token.split(".")).toHaveLength(3);
      });

      test("an expired token cannot be refreshed", async () => {
        const { token } = await signUp();
        clock.advance(600_000);
        expect(await failure(client.refreshToken({}, bearer(token)))).toEqual({
          code: Code.Unauthenticated,
          message: "session token expired; log in again",
        });
      });

      test("an API key, a tampered token or no credential cannot be refreshed", async () => {
        const { token } = await signUp();
        const { key } = await client.createAPIKey({ name: "k" }, bearer(token));
        expect((await failure(client.refreshToken({}, bearer(key)))).code).toBe(Code.Unauthenticated);
        expect((await failure(client.refreshToken({}, bearer(`${token.slice(0, -4)}AAAA`)))).code).toBe(Code.Unauthenticated);
        expect((await failure(client.refreshToken({}))).code).toBe(Code.Unauthenticated);
      });

      test("the token of a deleted account cannot be refreshed, even right after it was used", async () => {
        const { user, token } = await signUp();
        await client.getUserProfile({}, bearer(token));
        await client.listAPIKeys({}, bearer(token));
        await handle.db.delete(users).where(eq(users.id, user.id));
        expect(await failure(client.refreshToken({}, bearer(token)))).toEqual({ code: Code.Unauthenticated, message: "invalid session token" });
      });
    });

    test("a read-only key round-trips through CreateAPIKey and ListAPIKeys, and verifies as read-only", async () => {
      const { token } = await signUp();
      const readOnly = await client.createAPIKey({ name: "dashboards", readOnly: true }, bearer(token));
      const readWrite = await client.createAPIKey({ name: "ingest" }, bearer(token));
      expect(readOnly.apiKey?.readOnly).toBe(true);
      expect(readWrite.apiKey?.readOnly).toBe(false);
      const listed = (await client.listAPIKeys({}, bearer(token))).apiKeys;
      expect(listed.map((k) => [k.name, k.readOnly])).toEqual([
        ["dashboards", true],
        ["ingest", false],
      ]);
      expect((await auth.authenticate(`Bearer ${readOnly.key}`, "session-or-key")).readOnly).toBe(true);
      expect((await auth.authenticate(`Bearer ${readWrite.key}`, "session-or-key")).readOnly).toBe(false);
    });

    test("RegisterUser answers a taken email in the same shape as a new one", async () => {
      const taken = await signUp();
      const fresh = freshEmail();
      const forNew = (await client.registerUser({ email: fresh, password })).user!;
      const forTaken = (await client.registerUser({ email: taken.email.toUpperCase(), password: "someone else's password" })).user!;
      const shape = (json: unknown) => JSON.stringify(json, (_, value) => (typeof value === "string" || typeof value === "number" ? typeof value : value));
      const newJson = toJson(RegisterUserResponseSchema, create(RegisterUserResponseSchema, { user: forNew }));
      const takenJson = toJson(RegisterUserResponseSchema, create(RegisterUserResponseSchema, { user: forTaken }));
      expect(shape(takenJson)).toBe(shape(newJson));
      expect(forTaken).toMatchObject({ email: taken.email, plan: "free" });
      expect(forTaken.id).not.toBe(taken.user.id);
      expect(timestampDate(forTaken.createdAt!)).toEqual(clock.now());
      expect(timestampDate(forNew.createdAt!)).toEqual(clock.now());
    });

    test("the client address reaches the throttle: a locked address is resource_exhausted saying when to retry", async () => {
      for (let i = 0; i < 20; i++) {
        expect((await failure(client.login({ email: freshEmail(), password: "wrong password" }, from("203.0.113.50")))).code).toBe(Code.Unauthenticated);
      }
      const { email } = await signUp();
      const locked = await failure(client.login({ email, password }, from("203.0.113.50")));
      expect(locked.code).toBe(Code.ResourceExhausted);
      expect(locked.message).toMatch(/^too many failed logins; retry after \d{4}-\d\d-\d\dT[\d:.]+Z \(in 900 s\)$/);
      expect((await client.login({ email, password }, from("203.0.113.51"))).token).toBeTruthy();
    });
  });
}
