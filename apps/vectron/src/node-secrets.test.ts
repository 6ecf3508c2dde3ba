import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeProtectedHeader, SignJWT } from "jose";
import { createAuth, SESSION_KEY_RETENTION_MS, type Auth, type SessionKey } from "@vectron/auth";
import type { DbHandle } from "@vectron/db";
import { openTestDb } from "@vectron/db/test-database";
import { runAuthCommand } from "./auth-command";
import { loadOrCreateSecret, loadOrCreateSessionKeys, rotateSessionKeyFile, sessionKeysFor, SESSION_KEYS_FILE, watchSessionKeys } from "./node-secrets";

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "vectron-secrets-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const modeOf = (path: string) => statSync(path).mode & 0o777;
const keysFile = (dir: string) => join(dir, "secrets", SESSION_KEYS_FILE);
const kidsIn = (dir: string) => (JSON.parse(readFileSync(keysFile(dir), "utf8")).keys as Array<{ kid: string }>).map((key) => key.kid);
const password = "correct horse battery";

describe("secrets kept in the data directory", () => {
  test("generated files are 0600 in a 0700 directory, also when the directory existed with wider access", () => {
    const dir = dataDir();
    mkdirSync(join(dir, "secrets"), { mode: 0o755 });
    chmodSync(join(dir, "secrets"), 0o755);
    const secret = loadOrCreateSecret(dir, "cluster-secret", undefined);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    loadOrCreateSessionKeys(dir, Date.now());
    expect(modeOf(join(dir, "secrets"))).toBe(0o700);
    expect(modeOf(join(dir, "secrets", "cluster-secret"))).toBe(0o600);
    expect(modeOf(keysFile(dir))).toBe(0o600);
    rotateSessionKeyFile(dir, Date.now());
    expect(modeOf(keysFile(dir))).toBe(0o600);
    expect(loadOrCreateSecret(dir, "cluster-secret", undefined)).toBe(secret);
    // Loosened by hand (a copy, a restore from backup): tightened again at the next start.
    chmodSync(join(dir, "secrets"), 0o755);
    chmodSync(join(dir, "secrets", "cluster-secret"), 0o644);
    chmodSync(keysFile(dir), 0o644);
    loadOrCreateSecret(dir, "cluster-secret", undefined);
    loadOrCreateSessionKeys(dir, Date.now());
    expect([modeOf(join(dir, "secrets")), modeOf(join(dir, "secrets", "cluster-secret")), modeOf(keysFile(dir))]).toEqual([0o700, 0o600, 0o600]);
  });

  test("the session keys are made once and kept", () => {
    const dir = dataDir();
    const first = loadOrCreateSessionKeys(dir, 1000);
    expect(first).toHaveLength(1);
    expect(first[0]!.kid).toMatch(/^k-[0-9a-f]{12}$/);
    expect(first[0]!.secret.length).toBeGreaterThanOrEqual(32);
    expect(loadOrCreateSessionKeys(dir, 2000)).toEqual(first);
  });

  test("a damaged key file stops the start with a message naming it, never with a secret", () => {
    const dir = dataDir();
    mkdirSync(join(dir, "secrets"));
    writeFileSync(keysFile(dir), JSON.stringify({ version: 1, keys: [{ kid: "a", secret: "short-secret", createdAt: new Date().toISOString() }] }));
    expect(() => loadOrCreateSessionKeys(dir, 0)).toThrow(new RegExp(`${keysFile(dir)} is damaged: .*secret of kid a`));
    expect(() => loadOrCreateSessionKeys(dir, 0)).not.toThrow(/short-secret/);
  });

  test("configured keys win over the file: VECTRON_JWT_KEYS, else VECTRON_JWT_SECRET with a derived kid", () => {
    const dir = dataDir();
    const secret = "s".repeat(32);
    const keys = sessionKeysFor(dir, { jwtKeys: `b:${secret},a:${secret}` }) as SessionKey[];
    expect(keys.map((key) => key.kid)).toEqual(["b", "a"]);
    const single = sessionKeysFor(dir, { jwtSecret: secret }) as SessionKey[];
    expect(single).toHaveLength(1);
    expect(single[0]!.kid).toMatch(/^h-/);
    expect(sessionKeysFor(dataDir(), { jwtSecret: secret })).toEqual(single); // the same on every node
    expect(() => sessionKeysFor(dir, { jwtSecret: "short" })).toThrow(/at least 32/);
    expect(existsSync(join(dir, "secrets"))).toBe(false);
  });
});

describe("rotating the session signing key without logging anyone out", () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await openTestDb("pglite");
  });
  afterAll(() => handle?.close());

  /** An Auth over the node's key file, re-read on every call, with one clock for both. */
  function nodeAuth(dir: string, clock: { ms: number }): Auth {
    sessionKeysFor(dir, {}); // as serve does: creates the file on first start
    const jwtKeys = watchSessionKeys(dir, { now: () => clock.ms, checkEveryMs: 0 });
    return createAuth({ db: handle.db, jwtKeys, bcryptCost: 10, now: () => new Date(clock.ms) });
  }

  async function session(auth: Auth) {
    const email = `rotation-${crypto.randomUUID()}@example.com`;
    await auth.register(email, password);
    return auth.login(email, password);
  }

  test("a token signed before a rotation verifies after it; new tokens carry the new kid; the retired key goes after the retention", async () => {
    const dir = dataDir();
    const clock = { ms: Date.now() };
    const auth = nodeAuth(dir, clock);
    const before = await session(auth);
    const oldKid = decodeProtectedHeader(before.token).kid!;

    clock.ms += 1000;
    const rotation = rotateSessionKeyFile(dir, clock.ms);
    expect(rotation).toEqual({ added: expect.stringMatching(/^k-/), kept: [oldKid], dropped: [] });
    expect(await auth.verifySession(before.token)).toEqual({ userId: before.user.id });
    const after = await session(auth);
    expect(decodeProtectedHeader(after.token).kid).toBe(rotation.added);
    expect((await auth.refreshSession(`Bearer ${before.token}`)).token).not.toBe(before.token);

    // A token of the old key that has not expired (forged here with its secret and a far
    // expiry) is accepted while the key is kept and refused once it is retired.
    const oldSecret = (JSON.parse(readFileSync(keysFile(dir), "utf8")).keys as Array<{ kid: string; secret: string }>).find((key) => key.kid === oldKid)!.secret;
    const longLived = await new SignJWT()
      .setProtectedHeader({ alg: "HS256", kid: oldKid })
      .setSubject(before.user.id)
      .setIssuer("vectron")
      .setAudience("vectron")
      .setIssuedAt(Math.floor(clock.ms / 1000))
      .setExpirationTime(Math.floor(clock.ms / 1000) + 86_400)
      .sign(new TextEncoder().encode(oldSecret));
    clock.ms += SESSION_KEY_RETENTION_MS - 1;
    expect(await auth.verifySession(longLived)).toEqual({ userId: before.user.id });
    clock.ms += 1;
    await expect(auth.verifySession(longLived)).rejects.toMatchObject({ code: "unauthenticated", message: "invalid session token" });
    expect(kidsIn(dir)).toEqual([rotation.added, oldKid]); // not yet rewritten: left out when read

    clock.ms += 1000;
    const next = rotateSessionKeyFile(dir, clock.ms);
    expect(next.dropped).toEqual([oldKid]);
    expect(kidsIn(dir)).toEqual([next.added, rotation.added]);
  });

  test("--drop-previous ends every session signed before it at once", async () => {
    const dir = dataDir();
    const clock = { ms: Date.now() };
    const auth = nodeAuth(dir, clock);
    const before = await session(auth);
    clock.ms += 1000;
    const rotation = rotateSessionKeyFile(dir, clock.ms, { dropPrevious: true });
    expect(rotation.kept).toEqual([]);
    await expect(auth.verifySession(before.token)).rejects.toMatchObject({ code: "unauthenticated" });
    expect(decodeProtectedHeader((await session(auth)).token).kid).toBe(rotation.added);
  });

  test("a single secret file from an older version becomes the first key, under the kid VECTRON_JWT_SECRET would give it", async () => {
    const dir = dataDir();
    const legacy = loadOrCreateSecret(dir, "jwt-secret", undefined);
    const clock = { ms: Date.now() };
    const old = createAuth({ db: handle.db, jwtSecret: new TextEncoder().encode(legacy), bcryptCost: 10, now: () => new Date(clock.ms) });
    const before = await session(old);
    const upgraded = nodeAuth(dir, clock);
    expect(await upgraded.verifySession(before.token)).toEqual({ userId: before.user.id });
    expect(existsSync(join(dir, "secrets", "jwt-secret"))).toBe(false);
    expect(kidsIn(dir)).toEqual([decodeProtectedHeader(before.token).kid!]);
  });
});

describe("vectron auth rotate-jwt-key", () => {
  test("adds a key to the data directory's ring and says which keys it kept and dropped", () => {
    const dir = dataDir();
    const lines: string[] = [];
    loadOrCreateSessionKeys(dir, Date.now());
    const [oldKid] = kidsIn(dir);
    expect(runAuthCommand(["rotate-jwt-key", "--data-dir", dir], {}, (line) => lines.push(line))).toBe(0);
    const [newKid] = kidsIn(dir);
    expect(lines).toEqual([`new signing key ${newKid} in ${dir}/secrets/jwt-keys`, `still verifying: ${oldKid}`, "dropped: none"]);
    expect(runAuthCommand(["rotate-jwt-key", "--drop-previous"], { VECTRON_DATA_DIR: dir }, () => {})).toBe(0);
    expect(kidsIn(dir)).toHaveLength(1);
  });

  test("jwt-kids names the keys in use, the signing one first, from the environment or the data directory, never a secret", () => {
    const dir = dataDir();
    const secret = "s".repeat(32);
    const lines: string[] = [];
    const out = (line: string) => lines.push(line);
    expect(() => runAuthCommand(["jwt-kids", "--data-dir", dir], {}, out)).toThrow(/no session keys/);
    expect(runAuthCommand(["jwt-kids"], { VECTRON_JWT_KEYS: `new:${secret},old:${secret}` }, out)).toBe(0);
    expect(runAuthCommand(["jwt-kids"], { VECTRON_JWT_SECRET: secret }, out)).toBe(0);
    const [derived] = sessionKeysFor(dir, { jwtSecret: secret }) as SessionKey[];
    loadOrCreateSessionKeys(dir, Date.now());
    rotateSessionKeyFile(dir, Date.now() + 1000);
    expect(runAuthCommand(["jwt-kids", "--data-dir", dir], {}, out)).toBe(0);
    expect(lines).toEqual(["new (signs)", "old", `${derived!.kid} (signs)`, `${kidsIn(dir)[0]} (signs)`, kidsIn(dir)[1]!]);
    expect(lines.join("\n")).not.toContain(secret);
  });

  test("refuses when the keys come from the environment, or the data directory does not exist", () => {
    const dir = dataDir();
    expect(() => runAuthCommand(["rotate-jwt-key", "--data-dir", dir], { VECTRON_JWT_SECRET: "s".repeat(32) }, () => {})).toThrow(/VECTRON_JWT_KEYS or VECTRON_JWT_SECRET/);
    expect(() => runAuthCommand(["rotate-jwt-key", "--data-dir", join(dir, "typo")], {}, () => {})).toThrow(/no data directory/);
    expect(() => runAuthCommand(["rotate-everything"], {}, () => {})).toThrow(/unknown command/);
    expect(existsSync(join(dir, "secrets"))).toBe(false);
  });
});
