import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { toJsonString } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, createRouterTransport, type Client } from "@connectrpc/connect";
import type { DbDriver, DbHandle } from "@vectron/db";
import { openTestDb } from "@vectron/db/test-database";
import { AuthService, ListAPIKeysResponseSchema } from "@vectron/proto/auth/v1";
import { createErrorInterceptor } from "@vectron/rpc-errors";
import { freshEmail, testAuth } from "./auth-test-kit";
import { createAuthServiceImpl } from "./service-impl";

async function codeOf(call: Promise<unknown>): Promise<{ code: Code; message: string }> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConnectError);
  const { code, rawMessage } = err as ConnectError;
  return { code, message: rawMessage };
}

const bearer = (credential: string) => ({ headers: { authorization: `Bearer ${credential}` } });

for (const driver of ["pglite", "postgres"] satisfies DbDriver[]) {
  describe(`AuthService over Connect on ${driver}`, () => {
    let handle: DbHandle;
    let client: Client<typeof AuthService>;
    const logged: unknown[] = [];
    const password = "correct horse battery";

    beforeAll(async () => {
      handle = await openTestDb(driver);
      const impl = createAuthServiceImpl(testAuth(handle));
      const transport = createRouterTransport((router) => router.service(AuthService, impl), {
        router: { interceptors: [createErrorInterceptor((_message, cause) => logged.push(cause))] },
      });
      client = createClient(AuthService, transport);
    });
    afterAll(() => handle?.close());

    async function signUp() {
      const email = freshEmail();
      const { user } = await client.registerUser({ email, password });
      const { token } = await client.login({ email, password });
      return { user: user!, token };
    }

    test("register, log in, read the profile", async () => {
      const email = freshEmail("Rpc");
      const { user } = await client.registerUser({ email, password });
      expect(user).toMatchObject({ email: email.toLowerCase(), plan: "free" });
      expect(timestampDate(user!.createdAt!)).toBeInstanceOf(Date);

      const login = await client.login({ email, password });
      expect(login.user).toEqual(user);
      expect(timestampDate(login.expiresAt!).getTime()).toBeGreaterThan(Date.now());

      const profile = await client.getUserProfile({}, bearer(login.token));
      expect(profile.user).toEqual(user);
    });

    test("domain errors arrive as their Connect codes with the field named", async () => {
      const email = freshEmail();
      await client.registerUser({ email, password });
      expect(await codeOf(client.registerUser({ email: "nope", password }))).toEqual({
        code: Code.InvalidArgument,
        message: "email: not an email address",
      });
      expect(await codeOf(client.registerUser({ email: freshEmail(), password: "short" }))).toMatchObject({
        code: Code.InvalidArgument,
        message: expect.stringMatching(/^password: /),
      });
      expect((await codeOf(client.login({ email, password: "wrong password" }))).code).toBe(Code.Unauthenticated);
    });

    test("session calls without a valid session are unauthenticated", async () => {
      const { token } = await signUp();
      const { key } = await client.createAPIKey({ name: "k" }, bearer(token));
      expect(await codeOf(client.getUserProfile({}))).toEqual({ code: Code.Unauthenticated, message: "missing Authorization header" });
      expect((await codeOf(client.listAPIKeys({}, { headers: { authorization: token } }))).code).toBe(Code.Unauthenticated);
      expect((await codeOf(client.listAPIKeys({}, bearer(`${token}x`)))).code).toBe(Code.Unauthenticated);
      expect((await codeOf(client.createAPIKey({ name: "x" }, bearer(key)))).code).toBe(Code.Unauthenticated);
      expect((await codeOf(client.deleteAPIKey({ id: "x" }, bearer(key)))).code).toBe(Code.Unauthenticated);
    });

    test("create, list and delete API keys; the secret appears only in the create response", async () => {
      const { token } = await signUp();
      const created = await client.createAPIKey({ name: "ci" }, bearer(token));
      expect(created.key).toMatch(/^vk_/);
      expect(created.apiKey).toMatchObject({ name: "ci", prefix: created.key.slice(0, 10) });

      const listed = await client.listAPIKeys({}, bearer(token));
      expect(listed.apiKeys).toEqual([created.apiKey!]);
      expect(toJsonString(ListAPIKeysResponseSchema, listed)).not.toContain(created.key.slice(10));

      expect((await codeOf(client.createAPIKey({ name: "" }, bearer(token)))).code).toBe(Code.InvalidArgument);
      expect(await codeOf(client.deleteAPIKey({ id: "" }, bearer(token)))).toEqual({
        code: Code.InvalidArgument,
        message: "id: required",
      });
      const other = await signUp();
      expect((await codeOf(client.deleteAPIKey({ id: created.apiKey!.id }, bearer(other.token)))).code).toBe(Code.NotFound);

      await client.deleteAPIKey({ id: created.apiKey!.id }, bearer(token));
      expect((await client.listAPIKeys({}, bearer(token))).apiKeys).toEqual([]);
    });

    test("an unexpected failure is internal, with no details sent and the cause logged", async () => {
      const { token } = await signUp();
      const closed = await openTestDb(driver);
      await closed.close();
      const transport = createRouterTransport(
        (router) => router.service(AuthService, createAuthServiceImpl(testAuth(closed))),
        { router: { interceptors: [createErrorInterceptor((_message, cause) => logged.push(cause))] } },
      );
      const broken = createClient(AuthService, transport);
      logged.length = 0;
      expect(await codeOf(broken.getUserProfile({}, bearer(token)))).toEqual({ code: Code.Internal, message: "internal error" });
      expect(logged).toHaveLength(1);
    });
  });
}
