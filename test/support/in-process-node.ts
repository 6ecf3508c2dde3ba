import { defaultLimits } from "@vectron/api";
import type { Plans } from "@vectron/quotas";
import { createTestDatabase } from "@vectron/db/test-database";
import { allRoles } from "../../apps/vectron/src/config";
import { serve, type RunningNode } from "../../apps/vectron/src/serve";
import { tempDir } from "./temp-dir";
import { testPlans } from "./test-plans";

/** The request body limit of test nodes: small, so the limit itself can be tested. */
export const TEST_MAX_REQUEST_BYTES = 8 << 20;

export type DatabaseKind = "pglite" | "postgres";

export interface TestNode {
  node: RunningNode;
  /** http://127.0.0.1:<port> — Connect, gRPC-Web, /health. */
  baseUrl: string;
  /** 127.0.0.1:<port> — gRPC. */
  grpcAddress: string;
  dataDir: string;
  /** The Postgres database of a node on Postgres (undefined on PGlite). */
  databaseUrl: string | undefined;
  clusterSecret: string;
  stop(): Promise<void>;
}

/**
 * `vectron serve` in this process on free ports, with its data in a temp dir and its
 * accounts/placement on embedded PGlite or on a fresh database of the local Postgres
 * (127.0.0.1:5432), dropped again by stop(). A Postgres that cannot be reached fails the
 * test: it is never skipped.
 */
export async function startTestNode(
  database: DatabaseKind,
  options: { plans?: Plans; corsOrigins?: string[] } = {},
): Promise<TestNode> {
  const dir = tempDir("node");
  const pg = database === "postgres" ? await createTestDatabase() : undefined;
  const clusterSecret = "test-cluster-secret-0123456789abcdef0123456789";
  const node = await serve({
    roles: new Set(allRoles),
    placementUrls: [],
    advertiseHost: "127.0.0.1",
    leaseMs: 10_000,
    placementTickMs: 1000,
    replaceAfterMs: 30_000,
    routeRetryMs: 5000,
    maxSnapshotStreams: 2,
    limits: defaultLimits,
    plans: options.plans ?? testPlans,
    host: "127.0.0.1",
    port: 0,
    grpcPort: 0,
    dataDir: dir.path,
    databaseUrl: pg?.url,
    jwtSecret: undefined,
    clusterSecret,
    bcryptCost: 10,
    maxRequestBytes: TEST_MAX_REQUEST_BYTES,
    indexSaveIntervalMs: 30_000,
    shardThreads: 2,
    tls: undefined,
    tlsCa: undefined,
    corsOrigins: options.corsOrigins ?? [],
    deadlines: { maxMs: 60_000, defaultMs: 30_000 },
    logLevel: "info",
    logFormat: "json",
    metricsPublic: false,
  });
  return {
    node,
    baseUrl: `http://127.0.0.1:${node.httpPort}`,
    grpcAddress: `127.0.0.1:${node.grpcPort}`,
    dataDir: dir.path,
    databaseUrl: pg?.url,
    clusterSecret,
    async stop() {
      await node.stop();
      await pg?.drop();
      dir.remove();
    },
  };
}
