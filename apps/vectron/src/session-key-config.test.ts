import { describe, expect, test } from "bun:test";
import { readServeConfig, type ServeConfig } from "./config";

const secret = "s".repeat(32);
const read = (args: string[], env: Record<string, string> = {}) => readServeConfig(args, env) as ServeConfig;
const apiNode = ["--roles", "api", "--placement", "http://10.0.0.2:8080"];
const clusterEnv = { VECTRON_DATABASE_URL: "postgres://postgres@127.0.0.1:5432/vectron", VECTRON_CLUSTER_SECRET: secret };

describe("session keys in the serve configuration", () => {
  test("VECTRON_JWT_KEYS is read, and checked at start with a message naming it", () => {
    expect(read([], { VECTRON_JWT_KEYS: `new:${secret},old:${secret}` }).jwtKeys).toBe(`new:${secret},old:${secret}`);
    expect(read([]).jwtKeys).toBeUndefined();
    expect(() => read([], { VECTRON_JWT_KEYS: `new:${secret},new:${secret}` })).toThrow(/^VECTRON_JWT_KEYS: .*appears twice/);
    expect(() => read([], { VECTRON_JWT_KEYS: `new:short` })).toThrow(/^VECTRON_JWT_KEYS: .*at least 32/);
    expect(() => read([], { VECTRON_JWT_KEYS: `new:${secret}`, VECTRON_JWT_SECRET: secret })).toThrow(/set one, not both/);
  });

  test("a cluster node with the api or auth role takes either VECTRON_JWT_KEYS or VECTRON_JWT_SECRET", () => {
    expect(read(apiNode, { ...clusterEnv, VECTRON_JWT_KEYS: `k1:${secret}` }).jwtKeys).toBe(`k1:${secret}`);
    expect(read(apiNode, { ...clusterEnv, VECTRON_JWT_SECRET: secret }).jwtSecret).toBe(secret);
    expect(() => read(apiNode, clusterEnv)).toThrow(/VECTRON_JWT_SECRET or VECTRON_JWT_KEYS/);
  });
});
