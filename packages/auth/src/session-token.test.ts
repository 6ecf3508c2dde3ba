import { describe, expect, test } from "bun:test";
import { generateKeyPair, decodeProtectedHeader, SignJWT } from "jose";
import { expectError } from "./auth-test-kit";
import { sessionKeyFromSecret, sessionKeySource, type SessionKey } from "./session-keys";
import { issueSessionToken, verifySessionToken, type SessionConfig } from "./session-token";

const secretOf = (text: string) => new TextEncoder().encode(text.padEnd(32, "."));
const first: SessionKey = { kid: "first", secret: secretOf("the first signing secret") };
const second: SessionKey = { kid: "second", secret: secretOf("the second signing secret") };
const userId = crypto.randomUUID();
const now = new Date("2026-11-21T12:00:00Z");

/** A config over whatever `keys` holds when a token is signed or checked. */
function configOver(keys: { current: SessionKey[] }): SessionConfig {
  return { keys: sessionKeySource(() => keys.current), issuer: "vectron", audience: "vectron", ttlSeconds: 3600, maxAgeSeconds: 86_400 };
}

/** A token with our claims, signed however the test says. */
function claims() {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT().setSubject(userId).setIssuer("vectron").setAudience("vectron").setIssuedAt(iat).setExpirationTime(iat + 600);
}

describe("session tokens and signing keys", () => {
  test("the newest key signs, with its kid in the protected header", async () => {
    const config = configOver({ current: [second, first] });
    const { token, expiresAt } = await issueSessionToken(config, userId, now);
    expect(decodeProtectedHeader(token)).toEqual({ alg: "HS256", typ: "JWT", kid: "second" });
    expect(expiresAt).toEqual(new Date(now.getTime() + 3600_000));
    expect(await verifySessionToken(config, token, now)).toEqual({ userId });
  });

  test("a rotation keeps earlier tokens verifying, signs new ones with the new kid, and a dropped key's tokens are refused", async () => {
    const keys = { current: [first] };
    const config = configOver(keys);
    const before = (await issueSessionToken(config, userId, now)).token;
    keys.current = [second, first]; // rotated: `second` signs, `first` only verifies
    expect(await verifySessionToken(config, before, now)).toEqual({ userId });
    const after = (await issueSessionToken(config, userId, now)).token;
    expect(decodeProtectedHeader(after).kid).toBe("second");
    keys.current = [second]; // `first` retired
    await expectError(verifySessionToken(config, before, now), "unauthenticated", /^invalid session token$/);
    expect(await verifySessionToken(config, after, now)).toEqual({ userId });
  });

  test("a token without a kid, or with a kid the ring does not hold, is refused even when signed with a ring secret", async () => {
    const config = configOver({ current: [first] });
    const noKid = await claims().setProtectedHeader({ alg: "HS256" }).sign(first.secret);
    const unknownKid = await claims().setProtectedHeader({ alg: "HS256", kid: "elsewhere" }).sign(first.secret);
    const kidOfAnotherKey = await claims().setProtectedHeader({ alg: "HS256", kid: "first" }).sign(second.secret);
    for (const token of [noKid, unknownKid, kidOfAnotherKey]) {
      await expectError(verifySessionToken(config, token, now), "unauthenticated", /^invalid session token$/);
    }
    // The same claims with the right kid and secret pass: the refusals above are about the key.
    const good = await claims().setProtectedHeader({ alg: "HS256", kid: "first" }).sign(first.secret);
    expect(await verifySessionToken(config, good, now)).toEqual({ userId });
  });

  test("the algorithm is pinned: HS512 with the right key, RS256, and none are refused", async () => {
    const config = configOver({ current: [first] });
    const hs512 = await claims().setProtectedHeader({ alg: "HS512", kid: "first" }).sign(first.secret);
    const rsa = await generateKeyPair("RS256");
    const rs256 = await claims().setProtectedHeader({ alg: "RS256", kid: "first" }).sign(rsa.privateKey);
    const signed = (await claims().setProtectedHeader({ alg: "HS256", kid: "first" }).sign(first.secret)).split(".");
    const header = (alg: string) => Buffer.from(JSON.stringify({ alg, kid: "first" })).toString("base64url");
    const none = `${header("none")}.${signed[1]}.`;
    // The HS256 signature of these claims under a header that claims another algorithm.
    const relabelled = `${header("HS384")}.${signed[1]}.${signed[2]}`;
    for (const token of [hs512, rs256, none, relabelled]) {
      await expectError(verifySessionToken(config, token, now), "unauthenticated", /^invalid session token$/);
    }
  });

  test("expired, foreign-audience and foreign-issuer tokens are refused", async () => {
    const config = configOver({ current: [first] });
    const { token } = await issueSessionToken(config, userId, now);
    await verifySessionToken(config, token, new Date(now.getTime() + 3599_000));
    await expectError(verifySessionToken(config, token, new Date(now.getTime() + 3600_000)), "unauthenticated", /expired/);
    await expectError(verifySessionToken({ ...config, audience: "other" }, token, now), "unauthenticated");
    await expectError(verifySessionToken({ ...config, issuer: "other" }, token, now), "unauthenticated");
  });

  test("a single secret's kid is derived from its hash: stable, different per secret, revealing nothing of it", async () => {
    const derived = sessionKeyFromSecret(first.secret);
    expect(derived).toEqual(sessionKeyFromSecret(secretOf("the first signing secret")));
    expect(derived.kid).toMatch(/^h-[A-Za-z0-9_-]{12}$/);
    expect(sessionKeyFromSecret(second.secret).kid).not.toBe(derived.kid);
    expect(derived.kid).not.toContain(Buffer.from(first.secret).toString("base64url").slice(0, 6));
    const config = configOver({ current: [derived] });
    expect(decodeProtectedHeader((await issueSessionToken(config, userId, now)).token).kid).toBe(derived.kid);
  });
});
