import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { defaultLimits } from "@vectron/api";
import { createTestCertificates } from "../../../test/support/test-certificates";
import { tempDir } from "../../../test/support/temp-dir";
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

  test("snapshot streams per worker: 2 by default, VECTRON_MAX_SNAPSHOT_STREAMS within 1..1024", () => {
    expect(read([]).maxSnapshotStreams).toBe(2);
    expect(read([], { VECTRON_MAX_SNAPSHOT_STREAMS: "5" }).maxSnapshotStreams).toBe(5);
    expect(() => read([], { VECTRON_MAX_SNAPSHOT_STREAMS: "0" })).toThrow(/VECTRON_MAX_SNAPSHOT_STREAMS/);
  });

  test("deadlines: 60 s cap and 30 s default; the default never exceeds the cap", () => {
    expect(read([]).deadlines).toEqual({ maxMs: 60_000, defaultMs: 30_000 });
    expect(read([], { VECTRON_MAX_DEADLINE_MS: "5000" }).deadlines).toEqual({ maxMs: 5000, defaultMs: 5000 });
    expect(read([], { VECTRON_MAX_DEADLINE_MS: "5000", VECTRON_DEFAULT_DEADLINE_MS: "100" }).deadlines).toEqual({ maxMs: 5000, defaultMs: 100 });
    expect(() => read([], { VECTRON_MAX_DEADLINE_MS: "5000", VECTRON_DEFAULT_DEADLINE_MS: "6000" })).toThrow(/VECTRON_DEFAULT_DEADLINE_MS.*VECTRON_MAX_DEADLINE_MS/);
    expect(() => read([], { VECTRON_MAX_DEADLINE_MS: "0" })).toThrow(/VECTRON_MAX_DEADLINE_MS/);
  });

  test("TLS: certificate and key both or neither, readable and matching; a TLS node names https placement URLs", () => {
    const dir = tempDir("config-tls");
    try {
      const certs = createTestCertificates(dir.path);
      expect(read([]).tls).toBeUndefined();
      expect(() => read([], { VECTRON_TLS_CERT: certs.certFile })).toThrow(/VECTRON_TLS_CERT and VECTRON_TLS_KEY: give both/);
      expect(() => read([], { VECTRON_TLS_KEY: certs.keyFile })).toThrow(/VECTRON_TLS_CERT and VECTRON_TLS_KEY: give both/);
      expect(() => read([], { VECTRON_TLS_CERT: join(dir.path, "missing.pem"), VECTRON_TLS_KEY: certs.keyFile })).toThrow(/VECTRON_TLS_CERT: cannot read .*missing\.pem/);
      expect(() => read([], { VECTRON_TLS_CERT: certs.keyFile, VECTRON_TLS_KEY: certs.keyFile })).toThrow(/VECTRON_TLS_CERT: .* holds no PEM certificate/);
      // The CA's key does not belong to the node's certificate.
      expect(() => read([], { VECTRON_TLS_CERT: certs.certFile, VECTRON_TLS_KEY: join(dir.path, "ca.key") })).toThrow(/VECTRON_TLS_KEY: the key .* does not belong/);
      const tls = { VECTRON_TLS_CERT: certs.certFile, VECTRON_TLS_KEY: certs.keyFile, VECTRON_TLS_CA: certs.caFile };
      const config = read([], tls);
      expect(config.tls?.cert).toContain("BEGIN CERTIFICATE");
      expect(config.tls?.key).toContain("PRIVATE KEY");
      expect(config.tlsCa).toBe(certs.ca);
      const worker = ["--roles", "worker", "--placement"];
      expect(read([...worker, "https://10.0.0.2:8080"], { ...clusterEnv, ...tls }).placementUrls).toEqual(["https://10.0.0.2:8080"]);
      expect(() => read([...worker, "http://10.0.0.2:8080"], { ...clusterEnv, ...tls })).toThrow(/--placement: .*https:\/\//);
    } finally {
      dir.remove();
    }
  });

  test("CORS origins: none by default; exact origins or * are accepted, anything else refused", () => {
    expect(read([]).corsOrigins).toEqual([]);
    expect(read([], { VECTRON_CORS_ORIGINS: "https://app.example.com, http://localhost:5173" }).corsOrigins).toEqual([
      "https://app.example.com",
      "http://localhost:5173",
    ]);
    expect(read([], { VECTRON_CORS_ORIGINS: "*" }).corsOrigins).toEqual(["*"]);
    expect(() => read([], { VECTRON_CORS_ORIGINS: "https://app.example.com/" })).toThrow(/VECTRON_CORS_ORIGINS/);
    expect(() => read([], { VECTRON_CORS_ORIGINS: "app.example.com" })).toThrow(/VECTRON_CORS_ORIGINS/);
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
    // The filter bounds are read by every shard thread; a bad value stops the start here.
    expect(() => read([], { VECTRON_MAX_FILTER_CONDITIONS: "0" })).toThrow(/VECTRON_MAX_FILTER_CONDITIONS/);
    expect(() => read([], { VECTRON_MAX_FILTER_ANY_VALUES: "many" })).toThrow(/VECTRON_MAX_FILTER_ANY_VALUES/);
  });
});
