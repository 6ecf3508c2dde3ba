import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import fc from "fast-check";
import { API_KEY_LENGTH, apiKeyDigest, composeApiKey, generateApiKey, parseApiKey, randomBase62 } from "./api-key-format";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const base62 = (length: number) =>
  fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: length, maxLength: length });
const validKey = fc.tuple(base62(12), base62(43)).map(([id, secret]) => ({ id, key: composeApiKey(id, secret) }));

describe("API key format", () => {
  test("a generated key is vk_<12 id>_<43 secret><6 check>, parses to its id and shows its first 10 characters", () => {
    const { key, id, digest, prefix } = generateApiKey();
    expect(key).toMatch(/^vk_[0-9A-Za-z]{12}_[0-9A-Za-z]{49}$/);
    expect(key).toHaveLength(API_KEY_LENGTH);
    expect(key.slice(3, 15)).toBe(id);
    expect(parseApiKey(key)).toEqual({ id });
    expect(prefix).toBe(key.slice(0, 10));
    expect(digest).toEqual(new Uint8Array(createHash("sha256").update(key).digest()));
    expect(apiKeyDigest(key)).toEqual(digest);
  });

  test("generated ids and secrets do not repeat", () => {
    const keys = Array.from({ length: 2000 }, () => generateApiKey());
    expect(new Set(keys.map((k) => k.id)).size).toBe(keys.length);
    expect(new Set(keys.map((k) => k.key.slice(16, 59))).size).toBe(keys.length);
  });

  test("random characters use the whole alphabet", () => {
    expect(new Set(randomBase62(20_000)).size).toBe(62);
  });

  test("any single mistyped character is caught by the check characters", () => {
    fc.assert(
      fc.property(validKey, fc.nat(), fc.constantFrom(...ALPHABET, "_", "-"), ({ key }, at, typo) => {
        const i = at % key.length;
        fc.pre(key[i] !== typo);
        expect(parseApiKey(key.slice(0, i) + typo + key.slice(i + 1))).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  test("any swap of two different adjacent characters is caught", () => {
    fc.assert(
      fc.property(validKey, fc.nat(), ({ key }, at) => {
        const i = at % (key.length - 1);
        fc.pre(key[i] !== key[i + 1]);
        const swapped = key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
        expect(parseApiKey(swapped)).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  test("wrong shapes are refused", () => {
    const { key } = generateApiKey();
    for (const bad of ["", "vk_", key.slice(0, -1), `${key}x`, ` ${key}`, key.replace("vk_", "VK_"), key.toUpperCase()]) {
      expect(parseApiKey(bad)).toBeUndefined();
    }
  });
});
