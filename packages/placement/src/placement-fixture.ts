/**
 * A placement service over a fresh test database (PGlite or Postgres) with a clock the
 * test moves: for the scenario suites. Not part of the package's API.
 */
import { createClient, type Client } from "@connectrpc/connect";
import { createLocalClient } from "@vectron/local-client";
import { createConnectTransport } from "@connectrpc/connect-web";
import { users, type DbDriver, type DbHandle } from "@vectron/db";
import { openTestDb } from "@vectron/db/test-database";
import { WorkerService } from "@vectron/proto/worker/v1";
import { Distance } from "@vectron/proto/v1";
import { PlacementService, type CollectionPlacement } from "@vectron/proto/placement/v1";
import { createControlLoop, type ControlLoop } from "./control-loop";
import type { PlacementDeps, WorkerClientFactory } from "./placement-deps";
import { createPlacementService } from "./placement-service";

export const LEASE_MS = 10_000;
export const REPLACE_AFTER_MS = 30_000;

/**
 * Real Connect clients. The fixture's workers register addresses where nothing listens
 * (port 9 on loopback refuses at once), so every worker call fails the way it does when
 * a worker is down: what the control loop must survive.
 */
export const unreachableWorkers: WorkerClientFactory = (address) =>
  createClient(WorkerService, createConnectTransport({ baseUrl: address }));

export interface PlacementFixture {
  handle: DbHandle;
  deps: PlacementDeps;
  /** The service through a local client: requests as plain objects, as a remote caller writes them. */
  placement: Client<typeof PlacementService>;
  loop: ControlLoop;
  logs: string[];
  /** Moves the clock forward. */
  advance(ms: number): void;
  newOwner(): Promise<string>;
  /** Registers workers (fresh leases); address http://127.0.0.1:9/<id>. */
  register(...ids: string[]): Promise<void>;
  /** Renews these workers' leases; the others keep theirs (and expire as time passes). */
  heartbeat(...ids: string[]): Promise<void>;
  createCollection(ownerId: string, name: string, shardCount: number, replicationFactor: number): Promise<CollectionPlacement>;
  close(): Promise<void>;
}

let owners = 0;

export async function openPlacementFixture(driver: DbDriver): Promise<PlacementFixture> {
  const handle = await openTestDb(driver);
  let nowMs = Date.parse("2030-01-01T00:00:00Z");
  const logs: string[] = [];
  const log = (message: string) => void logs.push(message);
  const deps: PlacementDeps = { db: handle.db, leaseMs: LEASE_MS, now: () => new Date(nowMs), workerClient: unreachableWorkers, log };
  const placement = createLocalClient(PlacementService, createPlacementService(deps));
  const loop = createControlLoop({ db: handle.db, now: deps.now, workerClient: unreachableWorkers, log, replaceAfterMs: REPLACE_AFTER_MS });
  return {
    handle,
    deps,
    placement,
    loop,
    logs,
    advance: (ms) => void (nowMs += ms),
    async newOwner() {
      const [row] = await handle.db.insert(users).values({ email: `owner${++owners}-${nowMs}@example.com`, passwordHash: "x" }).returning();
      return row!.id;
    },
    async register(...ids) {
      for (const id of ids) await placement.registerWorker({ workerId: id, address: `http://127.0.0.1:9/${id}` });
    },
    async heartbeat(...ids) {
      for (const id of ids) await placement.heartbeat({ workerId: id });
    },
    async createCollection(ownerId, name, shardCount, replicationFactor) {
      const { collection } = await placement.createCollection({
        ownerId,
        name,
        dimension: 4,
        distance: Distance.COSINE,
        shardCount,
        replicationFactor,
        payloadIndexes: [],
      });
      return collection!;
    },
    close: () => handle.close(),
  };
}
