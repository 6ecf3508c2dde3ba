import { randomBytes } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@connectrpc/connect";
import { createTestDatabase, type TestDatabase } from "@vectron/db/test-database";
import { createInternalClient } from "@vectron/internal-client";
import { PlacementService } from "@vectron/proto/placement/v1";
import { WorkerService } from "@vectron/proto/worker/v1";
import { tempDir } from "./temp-dir";
import { startVectronProcess, type VectronProcess } from "./vectron-process";

/** Timings short enough for tests: failover ~3 s after a worker stops answering. */
export const clusterTimings = {
  VECTRON_LEASE_MS: "2000",
  VECTRON_PLACEMENT_TICK_MS: "200",
  VECTRON_REPLICA_REPLACE_AFTER_MS: "3000",
  VECTRON_ROUTE_RETRY_MS: "8000",
  VECTRON_SHARD_THREADS: "1",
};

/** One node of a test cluster: a `vectron serve` process with some roles, and its data directory. */
export interface ClusterNode {
  readonly name: string;
  readonly dataDir: string;
  readonly roles: string;
  process: VectronProcess;
  /** http://host:port of its current process. */
  readonly baseUrl: string;
}

/**
 * A cluster on loopback for tests: a fresh Postgres database, placement processes and
 * worker processes (each worker also serves the public API and accounts), started as
 * real `vectron serve` children. stop() ends every process and drops the database.
 */
export class TestCluster {
  readonly placements: ClusterNode[] = [];
  readonly workers: ClusterNode[] = [];
  readonly clusterSecret = randomBytes(24).toString("hex");
  readonly jwtSecret = randomBytes(24).toString("hex");
  private readonly root = tempDir("cluster");
  private counter = 0;

  private constructor(
    readonly database: TestDatabase,
    private readonly env: Record<string, string>,
  ) {}

  /**
   * `env` overrides the test timings (clusterTimings) for every node; with VECTRON_TLS_CERT,
   * VECTRON_TLS_KEY and VECTRON_TLS_CA in it the whole cluster runs over TLS.
   */
  static async start(options: { placements: number; workers: number; env?: Record<string, string> }): Promise<TestCluster> {
    const cluster = new TestCluster(await createTestDatabase(), options.env ?? {});
    try {
      for (let i = 0; i < options.placements; i++) await cluster.addPlacement();
      await Promise.all(Array.from({ length: options.workers }, () => cluster.addWorker()));
      return cluster;
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  }

  /** Base URLs of the placement processes, as workers are given them. */
  placementUrls(): string {
    return this.placements.map((node) => node.baseUrl).join(",");
  }

  async addPlacement(): Promise<ClusterNode> {
    const node = await this.spawn(`placement-${this.placements.length + 1}`, "placement");
    this.placements.push(node);
    return node;
  }

  async addWorker(): Promise<ClusterNode> {
    const node = await this.spawn(`worker-${++this.counter}`, "auth,worker,api");
    this.workers.push(node);
    return node;
  }

  /** Starts the node's process again on its data directory (after kill9 or stop). */
  async restart(node: ClusterNode): Promise<void> {
    node.process = await this.launch(node.dataDir, node.roles);
  }

  /** Deletes the node's data directory (its process must be stopped): a worker with a new disk. */
  wipe(node: ClusterNode): void {
    rmSync(node.dataDir, { recursive: true, force: true });
  }

  /** A placement client over every placement process, with the cluster secret. */
  placementClient(): Client<typeof PlacementService> {
    return createInternalClient(PlacementService, { baseUrls: this.placements.map((n) => n.baseUrl), clusterSecret: this.clusterSecret, timeoutMs: 3000, trustedCa: this.trustedCa() });
  }

  /** A worker client for a worker address from the shard map. */
  workerClient(address: string): Client<typeof WorkerService> {
    return createInternalClient(WorkerService, { baseUrls: [address], clusterSecret: this.clusterSecret, timeoutMs: 5000, trustedCa: this.trustedCa() });
  }

  async stop(): Promise<void> {
    await Promise.all([...this.placements, ...this.workers].map(async (node) => {
      node.process.signal("SIGCONT");
      await node.process.stop(5000);
    }));
    await this.database.drop();
    this.root.remove();
  }

  /** The CA the nodes trust when the cluster runs over TLS (VECTRON_TLS_CA in `env`): this side's clients trust it too. */
  private trustedCa(): string | undefined {
    return this.env.VECTRON_TLS_CA ? readFileSync(this.env.VECTRON_TLS_CA, "utf8") : undefined;
  }

  private async spawn(name: string, roles: string): Promise<ClusterNode> {
    const dataDir = join(this.root.path, name);
    const node: ClusterNode = {
      name,
      dataDir,
      roles,
      process: await this.launch(dataDir, roles),
      get baseUrl() {
        return this.process.baseUrl;
      },
    };
    return node;
  }

  private launch(dataDir: string, roles: string): Promise<VectronProcess> {
    const args = ["--roles", roles];
    if (!roles.includes("placement")) args.push("--placement", this.placementUrls());
    return startVectronProcess(dataDir, {
      args,
      env: {
        ...clusterTimings,
        ...this.env,
        VECTRON_DATABASE_URL: this.database.url,
        VECTRON_CLUSTER_SECRET: this.clusterSecret,
        VECTRON_JWT_SECRET: this.jwtSecret,
      },
    });
  }
}
