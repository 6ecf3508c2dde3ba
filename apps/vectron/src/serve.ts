import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Client, HandlerContext } from "@connectrpc/connect";
import { compressionGzip } from "@connectrpc/connect-node";
import { createVectronService, CollectionCache, WorkerDirectory } from "@vectron/api";
import { createAuth, createAuthServiceImpl, type Auth } from "@vectron/auth";
import { withConsole } from "@vectron/console";
import { createDb, type DbHandle } from "@vectron/db";
import { createInternalClient } from "@vectron/internal-client";
import { createLocalClient } from "@vectron/local-client";
import { createPlacementService, startPlacementLeadership, type PlacementLeadership } from "@vectron/placement";
import { AuthService } from "@vectron/proto/auth/v1";
import { PlacementService } from "@vectron/proto/placement/v1";
import { VectronService } from "@vectron/proto/v1";
import { WorkerService } from "@vectron/proto/worker/v1";
import { createErrorInterceptor, toConnectError } from "@vectron/rpc-errors";
import {
  CLIENT_ADDRESS_HEADER,
  createLogger,
  instrumentRoutes,
  RpcMetrics,
  type Logger,
  createClusterSecretGate,
  createHealthRoutes,
  serviceRoute,
  startGrpcServer,
  startHttpServer,
  type RpcRoutes,
  type ServiceRoute,
} from "@vectron/server";
import { startWorkerNode, type WorkerNode } from "@vectron/worker";
import { compiledShardThreadEntry, isCompiledBinary, loadCompiledAssets } from "./compiled-assets";
import { isSingleNode, type ServeConfig } from "./config";
import { nodeMetrics } from "./node-metrics";
import { readinessChecks } from "./readiness-checks";
import { loadOrCreateSecret, loadOrCreateNodeId, sessionKeysFor } from "./node-secrets";
import { ownerOnlyDir } from "./owner-only-dir";

export interface RunningNode {
  nodeId: string;
  httpPort: number;
  grpcPort: number;
  /** Graceful stop: no new requests, in-flight ones finish, indexes saved, stores closed. */
  stop(): Promise<void>;
  /** The node's logger (VECTRON_LOG_LEVEL, VECTRON_LOG_FORMAT). */
  log: Logger;
}


/**
 * Starts the roles the configuration names in this process: every role by default (the
 * embedded single node), or some of them as one node of a cluster. Nodes reach each
 * other's internal services over Connect with the cluster secret; roles in the same
 * process call each other in-process.
 */
export async function serve(config: ServeConfig, logger: Logger = createLogger({ level: config.logLevel, format: config.logFormat })): Promise<RunningNode> {
  const log = (message: string, cause?: unknown) => logger.warn(message, cause === undefined ? undefined : { err: cause });
  const info = (message: string) => logger.info(message);
  // The embedded database (password hashes, key digests) and the shard files inside it.
  ownerOnlyDir(config.dataDir);
  const has = (role: "auth" | "placement" | "worker" | "api") => config.roles.has(role);
  let ready = false;
  let selfAddress = "";
  const nodeId = loadOrCreateNodeId(config.dataDir);
  const clusterSecret = loadOrCreateSecret(config.dataDir, "cluster-secret", config.clusterSecret);
  const workerClient = (address: string) => createInternalClient(WorkerService, { baseUrls: [address], clusterSecret, trustedCa: config.tlsCa });

  // A compiled binary carries PGlite's files and the migrations inside itself.
  const compiled = isCompiledBinary() ? await loadCompiledAssets() : undefined;
  const database: DbHandle | undefined =
    has("auth") || has("placement") || has("api")
      ? await createDb({
          ...(config.databaseUrl ? { url: config.databaseUrl } : { pgliteDir: join(config.dataDir, "pglite"), pgliteAssets: compiled?.pgliteAssets }),
          migrationsFolder: compiled?.migrationsFolder,
        })
      : undefined;
  // The migrations were written out for the migrator only.
  if (compiled) rmSync(compiled.migrationsFolder, { recursive: true, force: true });
  const auth: Auth | undefined =
    database && (has("auth") || has("api"))
      ? createAuth({
          db: database.db,
          jwtKeys: sessionKeysFor(config.dataDir, { jwtKeys: config.jwtKeys, jwtSecret: config.jwtSecret }),
          bcryptCost: config.bcryptCost,
        })
      : undefined;

  let leadership: PlacementLeadership | undefined;
  const placementImpl =
    database && has("placement")
      ? createPlacementService({
          db: database.db,
          leaseMs: config.leaseMs,
          now: () => new Date(),
          workerClient,
          log,
          leadership: { nodeId, isLeading: () => leadership?.isLeading() ?? false },
        })
      : undefined;
  const placement: Client<typeof PlacementService> = placementImpl
    ? createLocalClient(PlacementService, placementImpl)
    : createInternalClient(PlacementService, { baseUrls: config.placementUrls, clusterSecret, trustedCa: config.tlsCa });

  const worker: WorkerNode | undefined = has("worker")
    ? await startWorkerNode({
        dataDir: config.dataDir,
        workerId: nodeId,
        address: () => selfAddress,
        placement,
        workerClient,
        indexSaveIntervalMs: config.indexSaveIntervalMs,
        shardThreads: config.shardThreads,
        maxSnapshotStreams: config.maxSnapshotStreams,
        shardThreadEntry: compiled ? compiledShardThreadEntry : undefined,
        log: info,
      })
    : undefined;

  const internal = createClusterSecretGate(clusterSecret);
  const services: ServiceRoute[] = [];
  if (has("api") && auth) {
    const workers = new WorkerDirectory(workerClient);
    if (worker) workers.setLocal(nodeId, createLocalClient(WorkerService, worker.service));
    const apiDeps = {
      placement,
      collections: new CollectionCache(placement),
      workers,
      limits: config.limits,
      plans: config.plans,
      routing: { retryMs: config.routeRetryMs },
      log,
    };
    services.push(serviceRoute(VectronService, createVectronService(apiDeps, (header) => auth.authenticate(header, "session-or-key"))));
  }
  if (has("auth") && auth) {
    // The listeners set this header from the connection, replacing any value a client sent.
    const clientAddressOf = (ctx: HandlerContext) => ctx.requestHeader.get(CLIENT_ADDRESS_HEADER) ?? undefined;
    services.push(serviceRoute(AuthService, createAuthServiceImpl(auth, { clientAddressOf })));
  }
  if (placementImpl) services.push(serviceRoute(PlacementService, placementImpl, internal));
  if (worker) services.push(serviceRoute(WorkerService, worker.service, internal));
  const rpcMetrics = new RpcMetrics();
  const routes: RpcRoutes = instrumentRoutes({
    services,
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
    deadlines: config.deadlines,
  }, {
    metrics: rpcMetrics,
    log: logger,
    // An internal error's cause is logged once, with the request id the client was sent.
    toConnectError: (err, call) => toConnectError(err, (message, cause) => logger.error(message, { ...call, err: cause })),
  });
  const health = createHealthRoutes({
    ready: () => ready,
    checks: readinessChecks({ db: database?.db, worker, remotePlacement: has("api") && !placementImpl ? placement : undefined }),
    metrics: {
      write: nodeMetrics({
        roles: config.roles,
        rpc: rpcMetrics,
        worker: worker && { node: worker, dataDir: config.dataDir },
        placement: database && placementImpl ? { db: database.db, isLeading: () => leadership?.isLeading() ?? false } : undefined,
      }),
      // Secure by default: shard ids and counts are for operators, who hold the cluster secret.
      bearerToken: config.metricsPublic ? undefined : clusterSecret,
    },
  });
  const http = startHttpServer({ hostname: config.host, port: config.port, routes, fallback: has("api") ? withConsole((request) => health.fetch(request)) : (request) => health.fetch(request), tls: config.tls, corsOrigins: config.corsOrigins });
  const grpc = await startGrpcServer({ hostname: config.host, port: config.grpcPort, routes, tls: config.tls });
  selfAddress = `${config.tls ? "https" : "http"}://${config.advertiseHost}:${http.port}`;

  // The local worker registers first, so a restarted single node's leader does not take
  // its own stale lease for a dead worker.
  if (worker) await joinCluster(worker, log);
  if (database && has("placement")) {
    leadership = await startPlacementLeadership({
      db: database.db,
      // Embedded PGlite serves one process, which then always leads.
      databaseUrl: config.databaseUrl,
      nodeId,
      workerClient,
      log,
      tickMs: config.placementTickMs,
      replaceAfterMs: config.replaceAfterMs,
      takeOverGraceMs: config.leaseMs,
    });
  }
  ready = true;
  info(`node ${nodeId} runs ${[...config.roles].join(",")}${isSingleNode(config) ? " (single node)" : ""} at ${selfAddress}`);

  return {
    nodeId,
    httpPort: http.port,
    grpcPort: grpc.port,
    log: logger,
    async stop() {
      ready = false;
      await leadership?.stop();
      await Promise.all([http.stop(), grpc.stop()]);
      await worker?.close();
      await database?.close();
    },
  };
}

/** Registers the worker with placement, retrying while placement is not up yet. */
async function joinCluster(worker: WorkerNode, log: (message: string, cause?: unknown) => void): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await worker.join();
      return;
    } catch (err) {
      if (attempt >= 60) throw err;
      log(`joining the cluster failed (attempt ${attempt}), retrying`, err);
      await Bun.sleep(Math.min(250 * attempt, 2000));
    }
  }
}
