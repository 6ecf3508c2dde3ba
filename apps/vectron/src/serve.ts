import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { compressionGzip } from "@connectrpc/connect-node";
import { createVectronService, CollectionCache, WorkerDirectory, defaultLimits } from "@vectron/api";
import { createAuth, createAuthServiceImpl } from "@vectron/auth";
import { createDb } from "@vectron/db";
import { createLocalClient } from "@vectron/local-client";
import { createPlacementService } from "@vectron/placement";
import { AuthService } from "@vectron/proto/auth/v1";
import { PlacementService } from "@vectron/proto/placement/v1";
import { VectronService } from "@vectron/proto/v1";
import { WorkerService } from "@vectron/proto/worker/v1";
import { createErrorInterceptor, toConnectError } from "@vectron/rpc-errors";
import {
  createClusterSecretInterceptor,
  createHealthRoutes,
  serviceRoute,
  startGrpcServer,
  startHttpServer,
  type RpcRoutes,
} from "@vectron/server";
import { startWorkerNode } from "@vectron/worker";
import type { ServeConfig } from "./config";
import { loadOrCreateSecret, loadOrCreateWorkerId } from "./node-secrets";
import { openPlacedShards } from "./open-placed-shards";

export interface RunningNode {
  httpPort: number;
  grpcPort: number;
  /** Graceful stop: no new requests, in-flight ones finish, indexes saved, stores closed. */
  stop(): Promise<void>;
}

const LEASE_MS = 10_000;
const log = (message: string, cause?: unknown) => console.error(`[vectron] ${message}`, cause ?? "");

/** Starts every role in this process: auth, placement, one worker and the public API. */
export async function serve(config: ServeConfig): Promise<RunningNode> {
  mkdirSync(config.dataDir, { recursive: true });
  let ready = false;
  const jwtSecret = loadOrCreateSecret(config.dataDir, "jwt-secret", config.jwtSecret);
  const clusterSecret = loadOrCreateSecret(config.dataDir, "cluster-secret", config.clusterSecret);
  const database = await createDb(
    config.databaseUrl ? { url: config.databaseUrl } : { pgliteDir: join(config.dataDir, "pglite") },
  );
  const auth = createAuth({ db: database.db, jwtSecret: new TextEncoder().encode(jwtSecret), bcryptCost: config.bcryptCost });
  const placementImpl = createPlacementService({ db: database.db, leaseMs: LEASE_MS, now: () => new Date() });
  const placement = createLocalClient(PlacementService, placementImpl);
  const worker = await startWorkerNode({
    dataDir: config.dataDir,
    indexSaveIntervalMs: config.indexSaveIntervalMs,
    shardThreads: config.shardThreads,
    log: (message) => console.log(`[vectron] ${message}`),
  });
  const workerId = loadOrCreateWorkerId(config.dataDir);
  const workers = new WorkerDirectory();
  const localWorker = createLocalClient(WorkerService, worker.service);
  workers.set(workerId, localWorker);

  const internal = createClusterSecretInterceptor(clusterSecret);
  const apiDeps = { placement, collections: new CollectionCache(placement), workers, limits: defaultLimits, log };
  const routes: RpcRoutes = {
    services: [
      serviceRoute(VectronService, createVectronService(apiDeps, (header) => auth.authenticate(header, "session-or-key"))),
      serviceRoute(AuthService, createAuthServiceImpl(auth)),
      serviceRoute(PlacementService, placementImpl, [internal]),
      serviceRoute(WorkerService, worker.service, [internal]),
    ],
    options: {
      interceptors: [createErrorInterceptor(log)],
      readMaxBytes: config.maxRequestBytes,
      // gzip request bodies are accepted (the limit applies after decompression).
      acceptCompression: [compressionGzip],
      // Zero counts, empty cursors and shard 0 are shown, not omitted: clearer for JSON
      // users. Unknown fields are refused, so a misspelt `topk` is an error, not ignored.
      jsonOptions: { alwaysEmitImplicit: true, ignoreUnknownFields: false },
    },
    toConnectError: (err) => toConnectError(err, log),
  };
  const health = createHealthRoutes({ ready: () => ready });
  const http = startHttpServer({
    hostname: config.host,
    port: config.port,
    routes,
    fallback: (request) => health.fetch(request),
  });
  const grpc = await startGrpcServer({ hostname: config.host, port: config.grpcPort, routes });

  await placement.registerWorker({ workerId, address: `${config.host}:${grpc.port}` });
  await openPlacedShards(placement, localWorker, workerId);
  const heartbeat = setInterval(() => {
    placement.heartbeat({ workerId }).catch((cause) => log("heartbeat failed", cause));
  }, LEASE_MS / 3);
  ready = true;

  return {
    httpPort: http.port,
    grpcPort: grpc.port,
    async stop() {
      ready = false;
      clearInterval(heartbeat);
      await Promise.all([http.stop(), grpc.stop()]);
      await worker.close();
      await database.close();
    },
  };
}
