import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { liveSessionKeys, rotateSessionKeys, SESSION_KEY_RETENTION_MS, type StoredSessionKey } from "./session-key-rotation";
import { parseSessionKeyList, sessionKeyRing } from "./session-keys";

const bytes = (text: string) => new TextEncoder().encode(text);
const secret64 = "0123456789abcdef".repeat(4);

describe("VECTRON_JWT_KEYS: kid:secret,kid:secret", () => {
  test("the first key signs, all verify; a secret may hold colons; spaces around items are ignored", () => {
    const keys = parseSessionKeyList(` new:${secret64} , old.2024-01:${secret64}:with:colons `);
    expect(keys).toEqual([
      { kid: "new", secret: bytes(secret64) },
      { kid: "old.2024-01", secret: bytes(`${secret64}:with:colons`) },
    ]);
    const ring = sessionKeyRing(keys);
    expect(ring.signing.kid).toBe("new");
    expect([...ring.byKid.keys()]).toEqual(["new", "old.2024-01"]);
  });

  test("refuses an empty list, an item without a kid, a bad or repeated kid and a short secret", () => {
    expect(() => parseSessionKeyList("")).toThrow(/at least one/);
    expect(() => parseSessionKeyList(secret64)).toThrow(/kid:secret/);
    expect(() => parseSessionKeyList(`:${secret64}`)).toThrow(/kid:secret/);
    expect(() => parseSessionKeyList(`a/b:${secret64}`)).toThrow(/kid "a\/b"/);
    expect(() => parseSessionKeyList(`a:${secret64},a:${secret64}`)).toThrow(/appears twice/);
    expect(() => parseSessionKeyList(`a:${"x".repeat(31)}`)).toThrow(/secret of kid a .*at least 32/);
  });

  test("an error message never holds a secret", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8, maxLength: 40 }).filter((s) => !s.includes(",") && s.trim() === s), (secret) => {
        for (const text of [`a:${secret}`, secret, `a:${secret},a:${secret}`, `bad kid:${secret}`]) {
          let message = "";
          try {
            parseSessionKeyList(text);
          } catch (err) {
            message = (err as Error).message;
          }
          if (message) expect(message).not.toContain(secret);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** The rule rotation must keep, written the slow way: a key is needed while it signs or for `retain` after the next key was made. */
function neededAt(history: StoredSessionKey[], nowMs: number, retainMs: number): string[] {
  return history
    .filter((key, index) => {
      const successor = history[index + 1];
      return successor === undefined || nowMs - successor.createdAtMs < retainMs;
    })
    .map((key) => key.kid)
    .reverse();
}

describe("rotating session keys", () => {
  test("after any sequence of rotations: the new key signs, the one it replaced verifies, and exactly the keys retired within the retention remain", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3 * SESSION_KEY_RETENTION_MS }), { minLength: 1, maxLength: 30 }), (gaps) => {
        let nowMs = 1_700_000_000_000;
        const history: StoredSessionKey[] = [{ kid: "k0", secret: bytes(secret64), createdAtMs: nowMs }];
        let ring: StoredSessionKey[] = [...history];
        for (const [index, gap] of gaps.entries()) {
          nowMs += gap;
          const fresh = { kid: `k${index + 1}`, secret: bytes(secret64), createdAtMs: nowMs };
          const previous = ring[0]!;
          ring = rotateSessionKeys(ring, fresh, SESSION_KEY_RETENTION_MS);
          history.push(fresh);
          expect(ring[0]).toBe(fresh);
          expect(ring).toContain(previous);
          expect(ring.map((key) => key.kid)).toEqual(neededAt(history, nowMs, SESSION_KEY_RETENTION_MS));
        }
      }),
      { numRuns: 300 },
    );
  });

  test("a key retired for longer than the longest session plus the margin is no longer live, even before the next rotation", () => {
    const t0 = 1_700_000_000_000;
    const old = { kid: "old", secret: bytes(secret64), createdAtMs: t0 - 86_400_000 };
    const current = { kid: "current", secret: bytes(secret64), createdAtMs: t0 };
    expect(SESSION_KEY_RETENTION_MS).toBe((3600 + 600) * 1000);
    expect(liveSessionKeys([old, current], t0 + SESSION_KEY_RETENTION_MS - 1, SESSION_KEY_RETENTION_MS)).toEqual([current, old]);
    expect(liveSessionKeys([old, current], t0 + SESSION_KEY_RETENTION_MS, SESSION_KEY_RETENTION_MS)).toEqual([current]);
  });

  test("refuses a new key that is not newer than the kept ones, or that reuses a kid", () => {
    const kept = [{ kid: "a", secret: bytes(secret64), createdAtMs: 2000 }];
    expect(() => rotateSessionKeys(kept, { kid: "b", secret: bytes(secret64), createdAtMs: 2000 }, 10)).toThrow(/clock is behind/);
    expect(() => rotateSessionKeys(kept, { kid: "a", secret: bytes(secret64), createdAtMs: 3000 }, 10)).toThrow(/already in use/);
  });
});
