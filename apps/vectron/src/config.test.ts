import { describe, expect, test } from "bun:test";
import { defaultLimits } from "@vectron/api";
import { isSingleNode, readServeConfig, type ServeConfig } from "./config";
import { limitSettings } from "./limits-config";

const secret = "s".repeat(32);
const clusterEnv = {
  VECTRON_DATABASE_URL: "postgres://postgres@127.0.0.1:5432/vectron",
  VECTRON_CLUSTER_SECRET: secret,
  VECTRON_JWT_SECRET: secret,
};
const read = (args: string[], env: Record<string, string> = {}) => readServeConfig(args, env) as ServeConfig;

describe("serve configuration", () => {
  test("no roles given: every role, embedded, no secrets needed", () => {
    const config = read([]);
    expect([...config.roles].sort()).toEqual(["api", "auth", "placement", "worker"]);
    expect(isSingleNode(config)).toBe(true);
    expect(config.databaseUrl).toBeUndefined();
  });

  test("a worker/api node takes its roles and the placement URLs", () => {
    const config = read(["--roles", "worker,api", "--placement", "http://10.0.0.2:8080,http://10.0.0.3:8080"], clusterEnv);
    expect([...config.roles]).toEqual(["worker", "api"]);
    expect(config.placementUrls).toEqual(["http://10.0.0.2:8080", "http://10.0.0.3:8080"]);
    expect(isSingleNode(config)).toBe(false);
  });

  test("a cluster node refuses to start without the shared database and secrets", () => {
    const worker = ["--roles", "worker,api", "--placement", "http://10.0.0.2:8080"];
    expect(() => read(worker, { ...clusterEnv, VECTRON_DATABASE_URL: "" })).toThrow(/VECTRON_DATABASE_URL/);
    expect(() => read(worker, { ...clusterEnv, VECTRON_CLUSTER_SECRET: "" })).toThrow(/VECTRON_CLUSTER_SECRET/);
    expect(() => read(worker, { ...clusterEnv, VECTRON_JWT_SECRET: "" })).toThrow(/VECTRON_JWT_SECRET/);
    // A worker alone needs no database, but still the placement URLs.
    expect(read(["--roles", "worker", "--placement", "http://10.0.0.2:8080"], { VECTRON_CLUSTER_SECRET: secret }).databaseUrl).toBeUndefined();
    expect(() => read(["--roles", "worker"], clusterEnv)).toThrow(/--placement/);
  });

  test("unknown roles, bad URLs and a wildcard address to advertise are refused, naming the flag", () => {
    expect(() => read(["--roles", "worker,gateway"], clusterEnv)).toThrow(/--roles: unknown role "gateway"/);
    expect(() => read(["--roles", "worker", "--placement", "10.0.0.2:8080"], clusterEnv)).toThrow(/--placement/);
    expect(() => read(["--host", "0.0.0.0"])).toThrow(/--advertise-host/);
    expect(read(["--host", "0.0.0.0", "--advertise-host", "10.0.0.9"]).advertiseHost).toBe("10.0.0.9");
  });

  test("cluster timings come from the environment, with bounds", () => {
    const config = read([], { VECTRON_LEASE_MS: "2000", VECTRON_ROUTE_RETRY_MS: "0" });
    expect(config.leaseMs).toBe(2000);
    expect(config.routeRetryMs).toBe(0);
    expect(() => read([], { VECTRON_LEASE_MS: "10" })).toThrow(/VECTRON_LEASE_MS/);
  });

  test("every API limit is configurable by its variable, within bounds; the rest keep their defaults", () => {
    const config = read([], { VECTRON_MAX_DIMENSION: "128", VECTRON_MAX_TOP_K: "50", VECTRON_MAX_PAYLOAD_BYTES: "" });
    expect(config.limits).toEqual({ ...defaultLimits, maxDimension: 128, maxTopK: 50 });
    for (const { env, max } of Object.values(limitSettings)) {
      expect(() => read([], { [env]: "0" })).toThrow(new RegExp(env));
      expect(() => read([], { [env]: String(max + 1) })).toThrow(new RegExp(env));
      expect(() => read([], { [env]: "12.5" })).toThrow(new RegExp(env));
    }
    expect(new Set(Object.values(limitSettings).map((s) => s.env)).size).toBe(Object.keys(defaultLimits).length);
  });
});
