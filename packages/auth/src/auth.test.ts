import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { decodeJwt, decodeProtectedHeader, SignJWT, UnsecuredJWT } from "jose";
import { apiKeys, users, type DbDriver, type DbHandle } from "@vectron/db";
import { openTestDb } from "@vectron/db/test-database";
import { VectronError } from "@vectron/rpc-errors";
import { composeApiKey, randomBase62 } from "./api-key-format";
import { expectError, freshEmail, manualClock, testAuth, testSecret } from "./auth-test-kit";
import type { Auth } from "./create-auth";

// One scenario suite, run against every driver.
for (const driver of ["pglite", "postgres"] satisfies DbDriver[]) {
  describe(`auth on ${driver}`, () => {
    let handle: DbHandle;
    let auth: Auth;
    const clock = manualClock();
    const password = "correct horse battery";

    beforeAll(async () => {
      handle = await openTestDb(driver);
      auth = testAuth(handle, { now: clock.now });
    });
    afterAll(() => handle?.close());

    async function newUser() {
      const email = freshEmail();
      const user = await auth.register(email, password);
      const { token } = await auth.login(email, password);
      return { user, email, token };
    }

    describe("register", () => {
      test("creates a free user with the email lowercased and the password bcrypt-hashed", async () => {
        const email = freshEmail("Mixed.Case").replace("example.com", "Example.COM");
        const user = await auth.register(`  ${email} `, password);
        expect(user.email).toBe(email.toLowerCase());
        expect(user.plan).toBe("free");
        expect(user.createdAt).toBeInstanceOf(Date);
        expect(user).not.toHaveProperty("passwordHash");
        const [row] = await handle.db.select().from(users).where(eq(users.id, user.id));
        expect(row!.passwordHash).toMatch(/^\$2b\$10\$/);
        expect(row!.passwordHash).not.toContain(password);
      });

      test("a taken email, whatever its case, is answered like a new one and changes nothing", async () => {
        const email = freshEmail();
        const owner = await auth.register(email, password);
        const [before] = await handle.db.select().from(users).where(eq(users.id, owner.id));
        for (const [attempt, otherPassword] of [[email, password], [email.toUpperCase(), "another password"]] as const) {
          const answer = await auth.register(attempt, otherPassword);
          expect(Object.keys(answer).sort()).toEqual(Object.keys(owner).sort());
          expect(answer).toMatchObject({ email, plan: "free", createdAt: clock.now() });
          expect(answer.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
          expect(answer.id).not.toBe(owner.id);
          await expectError(auth.getUser(answer.id), "not_found");
        }
        const rows = await handle.db.select().from(users).where(eq(users.email, email));
        expect(rows).toEqual([before!]);
        await expectError(auth.login(email, "another password"), "unauthenticated");
        expect((await auth.login(email, password)).user.id).toBe(owner.id);
      });

      test("bad emails and passwords are invalid_argument naming the field", async () => {
        for (const email of ["", "   ", "no-at-sign", "@example.com", "a@", "a b@example.com", `${"a".repeat(250)}@x.io`, "a\u0000b@example.com", "a@exa\u0007mple.com"]) {
          await expectError(auth.register(email, password), "invalid_argument", /^email: /);
          await expectError(auth.login(email, password), "invalid_argument", /^email: /);
        }
        await expectError(auth.register(freshEmail(), "a long\u0000password"), "invalid_argument", /^password: .*NUL/);
        await expectError(auth.register(freshEmail(), ""), "invalid_argument", /^password: required/);
        await expectError(auth.register(freshEmail(), "7 bytes"), "invalid_argument", /^password: /);
        await expectError(auth.register(freshEmail(), "x".repeat(73)), "invalid_argument", /^password: /);
        // 37 × "é" is 37 characters but 74 UTF-8 bytes: bcrypt counts bytes.
        await expectError(auth.register(freshEmail(), "é".repeat(37)), "invalid_argument", /^password: /);
        expect((await auth.register(freshEmail(), "x".repeat(72))).plan).toBe("free");
      });
    });

    describe("login and sessions", () => {
      test("a correct password gives a session JWT for the user, valid for the session TTL", async () => {
        const email = freshEmail();
        const user = await auth.register(email, password);
        const session = await auth.login(email.toUpperCase(), password);
        expect(session.user).toEqual(user);
        expect(session.token.split(".")).toHaveLength(3);
        expect(session.expiresAt.getTime()).toBe(Math.floor(clock.now().getTime() / 1000) * 1000 + 3600_000);
        expect(await auth.verifySession(session.token)).toEqual({ userId: user.id });
      });

      test("a wrong password and an unknown email get the same unauthenticated answer", async () => {
        const email = freshEmail();
        await auth.register(email, password);
        const wrong = await expectError(auth.login(email, "wrong password"), "unauthenticated");
        const unknown = await expectError(auth.login(freshEmail("nobody"), password), "unauthenticated");
        expect(unknown.message).toBe(wrong.message);
        await expectError(auth.login(email, ""), "invalid_argument", /^password: /);
      });

      test("bytes past 72 are not silently ignored at login", async () => {
        const email = freshEmail();
        const long = "y".repeat(72);
        await auth.register(email, long);
        await auth.login(email, long);
        await expectError(auth.login(email, `${long}anything`), "unauthenticated");
      });

      test("tampered, foreign, unsigned and malformed tokens are unauthenticated", async () => {
        const { user, token } = await newUser();
        const [header, payload, signature] = token.split(".") as [string, string, string];
        const otherSubject = Buffer.from(
          JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), sub: crypto.randomUUID() }),
        ).toString("base64url");
        const flipped = signature.slice(0, 10) + (signature[10] === "A" ? "B" : "A") + signature.slice(11);
        const otherSecret = await new SignJWT()
          .setProtectedHeader({ alg: "HS256" })
          .setSubject(user.id)
          .setIssuer("vectron")
          .setAudience("vectron")
          .setIssuedAt()
          .setExpirationTime("1h")
          .sign(new TextEncoder().encode("a-completely-different-secret-32-bytes"));
        const unsigned = new UnsecuredJWT({ sub: user.id }).setIssuer("vectron").setAudience("vectron").setIssuedAt().setExpirationTime("1h").encode();
        for (const bad of [`${header}.${otherSubject}.${signature}`, `${header}.${payload}.${flipped}`, otherSecret, unsigned, "", "not.a.jwt", token.slice(0, -2)]) {
          await expectError(auth.verifySession(bad), "unauthenticated", /session token/);
        }
      });

      test("a token for another audience or issuer is unauthenticated", async () => {
        const { token } = await newUser();
        await expectError(testAuth(handle, { now: clock.now, audience: "other" }).verifySession(token), "unauthenticated");
        await expectError(testAuth(handle, { now: clock.now, issuer: "other" }).verifySession(token), "unauthenticated");
      });

      test("a token is refused once it expires", async () => {
        const shortClock = manualClock();
        const shortAuth = testAuth(handle, { now: shortClock.now, sessionTtlSeconds: 60 });
        const email = freshEmail();
        await shortAuth.register(email, password);
        const { token } = await shortAuth.login(email, password);
        shortClock.advance(59_000);
        await shortAuth.verifySession(token);
        shortClock.advance(2_000);
        await expectError(shortAuth.verifySession(token), "unauthenticated", /expired/);
      });

      test("refreshing keeps the Login time and stops at the maximum session age", async () => {
        const ageClock = manualClock(Date.UTC(2026, 0, 1));
        const loggedInAt = ageClock.now();
        const ageAuth = testAuth(handle, { now: ageClock.now, sessionTtlSeconds: 600, maxSessionAgeSeconds: 3600 });
        const email = freshEmail();
        await ageAuth.register(email, password);
        let { token } = await ageAuth.login(email, password);
        expect(decodeJwt(token).auth_time).toBe(loggedInAt.getTime() / 1000);
        // Six refreshes, each a second before the token expires, then one at exactly the maximum age.
        for (let step = 1; step <= 7; step++) {
          ageClock.advance(step <= 6 ? 599_000 : 6_000);
          const refreshed = await ageAuth.refreshSession(`Bearer ${token}`);
          expect(refreshed.expiresAt.getTime()).toBe(ageClock.now().getTime() + 600_000);
          const claims = decodeJwt(refreshed.token);
          expect(claims.auth_time).toBe(loggedInAt.getTime() / 1000);
          expect(claims.iat).toBe(ageClock.now().getTime() / 1000);
          token = refreshed.token;
        }
        expect(ageClock.now().getTime() - loggedInAt.getTime()).toBe(3600_000);
        ageClock.advance(1_000); // an hour and a second after Login
        expect(await ageAuth.verifySession(token)).toBeDefined(); // the last token still lives out its TTL
        await expectError(ageAuth.refreshSession(`Bearer ${token}`), "unauthenticated", /^session older than 1 h; log in again$/);
        // Logging in again starts a new session that refreshes.
        const fresh = await ageAuth.login(email, password);
        expect(decodeJwt(fresh.token).auth_time).toBe(Math.floor(ageClock.now().getTime() / 1000));
        expect(decodeJwt((await ageAuth.refreshSession(`Bearer ${fresh.token}`)).token).auth_time).toBe(decodeJwt(fresh.token).auth_time);
      });

      test("the default maximum session age is 24 hours", async () => {
        const dayClock = manualClock(Date.UTC(2026, 0, 1));
        const dayAuth = testAuth(handle, { now: dayClock.now });
        const email = freshEmail();
        await dayAuth.register(email, password);
        let { token } = await dayAuth.login(email, password);
        for (let hour = 1; hour <= 24; hour++) {
          dayClock.advance(3599_000);
          token = (await dayAuth.refreshSession(`Bearer ${token}`)).token;
        }
        dayClock.advance(24_001); // a day and a millisecond after Login
        await expectError(dayAuth.refreshSession(`Bearer ${token}`), "unauthenticated", /^session older than 24 h; log in again$/);
      });

      test("a valid token without auth_time is accepted for calls but cannot be refreshed", async () => {
        const { user, token } = await newUser();
        const now = Math.floor(clock.now().getTime() / 1000);
        const kid = decodeProtectedHeader(token).kid!; // the same key as Login's tokens: only the claim differs
        const legacy = await new SignJWT()
          .setProtectedHeader({ alg: "HS256", typ: "JWT", kid })
          .setSubject(user.id)
          .setIssuer("vectron")
          .setAudience("vectron")
          .setIssuedAt(now)
          .setExpirationTime(now + 600)
          .sign(testSecret);
        expect(await auth.verifySession(legacy)).toEqual({ userId: user.id });
        await expectError(auth.refreshSession(`Bearer ${legacy}`), "unauthenticated", /^session older than 24 h; log in again$/);
      });
    });

    describe("profile", () => {
      test("getUser returns the account; unknown ids are not_found", async () => {
        const { user } = await newUser();
        expect(await auth.getUser(user.id)).toEqual(user);
        await expectError(auth.getUser(crypto.randomUUID()), "not_found");
        await expectError(auth.getUser("not-a-uuid"), "not_found");
      });
    });

    describe("API keys", () => {
      test("create returns the key once; list shows id, name and prefix but never the key or its digest", async () => {
        const { user } = await newUser();
        const first = await auth.createApiKey(user.id, "  ci  ");
        const second = await auth.createApiKey(user.id, "laptop");
        expect(first.key.startsWith(first.apiKey.prefix)).toBe(true);
        expect(first.apiKey).toMatchObject({ name: "ci", userId: user.id, prefix: first.key.slice(0, 10), lastUsedAt: null });
        const listed = await auth.listApiKeys(user.id);
        expect(listed.map((k) => k.id)).toEqual([first.apiKey.id, second.apiKey.id]);
        for (const key of listed) expect(Object.keys(key).sort()).toEqual(["createdAt", "id", "lastUsedAt", "name", "prefix", "readOnly", "userId"]);
        const text = JSON.stringify(listed);
        expect(text).not.toContain(first.key.slice(10));
        expect(text).not.toContain(second.key.slice(10));
        const { user: other } = await newUser();
        expect(await auth.listApiKeys(other.id)).toEqual([]);
      });

      test("the database holds the SHA-256 digest of the key, not the key", async () => {
        const { user } = await newUser();
        const { key, apiKey } = await auth.createApiKey(user.id, "stored");
        const [row] = await handle.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
        expect(row!.digest).toEqual(new Uint8Array(createHash("sha256").update(key).digest()));
        const secret = key.slice(16);
        for (const value of Object.values(row!)) expect(String(value)).not.toContain(secret);
      });

      test("names are 1 to 100 characters; the user must exist", async () => {
        const { user } = await newUser();
        await expectError(auth.createApiKey(user.id, ""), "invalid_argument", /^name: /);
        await expectError(auth.createApiKey(user.id, "   "), "invalid_argument", /^name: /);
        await expectError(auth.createApiKey(user.id, "n".repeat(101)), "invalid_argument", /^name: /);
        await expectError(auth.createApiKey(user.id, "a\u0000b"), "invalid_argument", /^name: .*control/);
        await expectError(auth.createApiKey(user.id, "tab\there"), "invalid_argument", /^name: .*control/);
        expect((await auth.createApiKey(user.id, "🔑".repeat(100))).apiKey.name).toBe("🔑".repeat(100));
        await expectError(auth.createApiKey(crypto.randomUUID(), "x"), "not_found");
      });

      test("a user holds at most maxApiKeysPerUser keys; deleting one makes room", async () => {
        const limited = testAuth(handle, { now: clock.now, maxApiKeysPerUser: 3 });
        const { user } = await newUser();
        const { user: other } = await newUser();
        const created = [];
        for (const name of ["a", "b", "c"]) created.push(await limited.createApiKey(user.id, name));
        await expectError(limited.createApiKey(user.id, "d"), "resource_exhausted", /^at most 3 API keys per user; delete one first$/);
        expect((await limited.listApiKeys(user.id)).map((k) => k.name)).toEqual(["a", "b", "c"]);
        // Another user's keys do not count.
        expect((await limited.createApiKey(other.id, "theirs")).apiKey.userId).toBe(other.id);
        await limited.deleteApiKey(user.id, created[1]!.apiKey.id);
        expect((await limited.createApiKey(user.id, "d")).apiKey.name).toBe("d");
        await expectError(limited.createApiKey(user.id, "e"), "resource_exhausted", /at most 3 API keys/);
      });

      test("concurrent creates never take a user past maxApiKeysPerUser", async () => {
        const limited = testAuth(handle, { now: clock.now, maxApiKeysPerUser: 3 });
        const { user } = await newUser();
        const outcomes = await Promise.all(
          Array.from({ length: 8 }, (_, k) => limited.createApiKey(user.id, `k${k}`).then(() => undefined, (e: unknown) => e)),
        );
        const refused = outcomes.filter((e) => e !== undefined);
        expect(refused).toHaveLength(5);
        for (const err of refused) {
          expect(err).toBeInstanceOf(VectronError);
          expect((err as VectronError).code).toBe("resource_exhausted");
        }
        expect(await limited.listApiKeys(user.id)).toHaveLength(3);
      });

      test("the default limit is 100 keys per user", async () => {
        const { user } = await newUser();
        await handle.db.insert(apiKeys).values(
          Array.from({ length: 99 }, (_, k) => ({
            id: randomBase62(12),
            userId: user.id,
            name: `bulk${k}`,
            prefix: "vk_bulk000",
            digest: crypto.getRandomValues(new Uint8Array(32)),
            readOnly: false,
          })),
        );
        expect((await auth.createApiKey(user.id, "hundredth")).apiKey.name).toBe("hundredth");
        await expectError(auth.createApiKey(user.id, "one too many"), "resource_exhausted", /^at most 100 API keys per user; delete one first$/);
      });

      test("a key verifies to its owner and records its last use", async () => {
        const { user } = await newUser();
        const { key, apiKey } = await auth.createApiKey(user.id, "k");
        expect(await auth.verifyApiKey(key)).toEqual({ userId: user.id, keyId: apiKey.id, readOnly: false, plan: "free" });
        const [listed] = await auth.listApiKeys(user.id);
        expect(listed!.lastUsedAt?.getTime()).toBe(clock.now().getTime());
      });

      test("a well-formed key with the right id but another secret is unauthenticated", async () => {
        const { user } = await newUser();
        const { key, apiKey } = await auth.createApiKey(user.id, "k");
        await auth.verifyApiKey(key); // cached now: the forgery must not ride on the cache
        const forged = composeApiKey(apiKey.id, randomBase62(43));
        await expectError(auth.verifyApiKey(forged), "unauthenticated", /API key/);
        await expectError(auth.verifyApiKey(composeApiKey(randomBase62(12), randomBase62(43))), "unauthenticated");
      });

      test("a deleted key is refused at once, even though it was cached", async () => {
        const { user } = await newUser();
        const { key, apiKey } = await auth.createApiKey(user.id, "k");
        await auth.verifyApiKey(key);
        await auth.deleteApiKey(user.id, apiKey.id);
        await expectError(auth.verifyApiKey(key), "unauthenticated");
        expect(await auth.listApiKeys(user.id)).toEqual([]);
        await expectError(auth.deleteApiKey(user.id, apiKey.id), "not_found", /^id: /);
      });

      test("a key revoked elsewhere keeps working here only until the cache TTL passes", async () => {
        const { user } = await newUser();
        const { key, apiKey } = await auth.createApiKey(user.id, "k");
        await auth.verifyApiKey(key);
        await handle.db.delete(apiKeys).where(eq(apiKeys.id, apiKey.id)); // as another process would
        clock.advance(4_999);
        await auth.verifyApiKey(key);
        clock.advance(1);
        await expectError(auth.verifyApiKey(key), "unauthenticated");
      });

      test("another user's key cannot be deleted: not_found, and it keeps working", async () => {
        const owner = await newUser();
        const intruder = await newUser();
        const { key, apiKey } = await auth.createApiKey(owner.user.id, "k");
        await expectError(auth.deleteApiKey(intruder.user.id, apiKey.id), "not_found", /^id: /);
        expect((await auth.verifyApiKey(key)).userId).toBe(owner.user.id);
        await expectError(auth.deleteApiKey(owner.user.id, ""), "invalid_argument", /^id: required/);
        await expectError(auth.deleteApiKey(owner.user.id, "nonsense id"), "not_found");
      });

      test("a mistyped key is refused by its check characters before any database lookup", async () => {
        const own = await openTestDb(driver);
        const ownAuth = testAuth(own);
        let key: string;
        try {
          const user = await ownAuth.register(freshEmail(), password);
          ({ key } = await ownAuth.createApiKey(user.id, "k"));
        } finally {
          await own.close(); // from here on, any query fails
        }
        const typo = key.slice(0, 20) + (key[20] === "a" ? "b" : "a") + key.slice(21);
        await expectError(ownAuth.verifyApiKey(typo), "unauthenticated", /API key/);
        await expectError(ownAuth.verifyApiKey("vk_short"), "unauthenticated");
        // The untouched key does need the database, which is gone: not a VectronError.
        const err = await ownAuth.verifyApiKey(key).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(Error);
        expect(err).not.toBeInstanceOf(VectronError);
      });
    });

    describe("authenticate", () => {
      test("accepts a session JWT, and an API key only where keys are accepted", async () => {
        const { user, token } = await newUser();
        const { key } = await auth.createApiKey(user.id, "k");
        const session = { userId: user.id, via: "session", readOnly: false, plan: "free" } as const;
        expect(await auth.authenticate(`Bearer ${token}`, "session")).toEqual(session);
        expect(await auth.authenticate(`bearer ${token}`, "session-or-key")).toEqual(session);
        expect(await auth.authenticate(`Bearer ${key}`, "session-or-key")).toEqual({
          userId: user.id,
          via: "api-key",
          keyId: key.slice(3, 15),
          readOnly: false,
          plan: "free",
        });
        await expectError(auth.authenticate(`Bearer ${key}`, "session"), "unauthenticated", /session token/);
      });

      test("missing, malformed and bad credentials are unauthenticated", async () => {
        const { token } = await newUser();
        await expectError(auth.authenticate(null, "session-or-key"), "unauthenticated", /missing/);
        await expectError(auth.authenticate("", "session-or-key"), "unauthenticated", /missing/);
        for (const header of ["Bearer", "Bearer ", `Basic ${token}`, token, `Bearer ${token} extra`]) {
          await expectError(auth.authenticate(header, "session-or-key"), "unauthenticated", /Bearer/);
        }
        await expectError(auth.authenticate("Bearer vk_nope", "session-or-key"), "unauthenticated", /API key/);
        await expectError(auth.authenticate(`Bearer ${token}x`, "session"), "unauthenticated", /session token/);
      });
    });
  });
}
