/**
 * For this package's tests only (not exported): both listeners on free loopback ports
 * serving a small VectronService that reports what a handler sees (and a WorkerService
 * behind the cluster-secret gate), and generated-code clients reaching them over every
 * protocol path the listeners have.
 */
import { createClient, ConnectError, type Client, type HandlerContext, type Transport } from "@connectrpc/connect";
import { compressionGzip, createConnectTransport as createNodeConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
import { VectronService } from "@vectron/proto/v1";
import { WorkerService } from "@vectron/proto/worker/v1";
import { CLIENT_ADDRESS_HEADER } from "./client-address";
import type { DeadlinePolicy } from "./deadline-policy";
import { startGrpcServer } from "./grpc-server";
import { startHttpServer, type RunningServer } from "./http-server";
import { createClusterSecretGate } from "./internal-auth";
import { serviceRoute, type RpcRoutes } from "./rpc-routes";

/** How long `count({ collection: "slow" })` takes; it never looks at ctx.signal. */
export const SLOW_CALL_MS = 4000;

/** The cluster secret the fixture's WorkerService asks for. */
export const FIXTURE_CLUSTER_SECRET = "fixture-cluster-secret-0123456789abcdef";

/** Every way a call reaches a handler: the fast paths and Connect's generic handlers, on both ports. */
export const protocolPaths = [
  "connect-json fast path (HTTP/1.1)",
  "connect-binary fast path (HTTP/1.1)",
  "connect gzip, generic (HTTP/1.1)",
  "grpc-web, generic (HTTP/1.1)",
  "grpc fast path (HTTP/2)",
  "grpc gzip, generic (HTTP/2)",
  "connect, generic (HTTP/2)",
] as const;
export type ProtocolPath = (typeof protocolPaths)[number];

export interface ListenersFixture {
  /** http://127.0.0.1:<port> of the HTTP/1.1 listener, for raw requests. */
  httpUrl: string;
  /** http://127.0.0.1:<port> of the HTTP/2 listener, for raw requests. */
  h2Url: string;
  client(path: ProtocolPath): Client<typeof VectronService>;
  /** A client of the WorkerService behind the cluster-secret gate (it sends no secret by itself). */
  internalClient(path: ProtocolPath): Client<typeof WorkerService>;
  /** Graceful stop of both listeners; idempotent. */
  stop(): Promise<void>;
}

/**
 * The test service: `listCollections` names one collection after the client address the
 * handler was given; `count` answers the milliseconds left before the handler's deadline
 * (0: none), or after SLOW_CALL_MS for the collection "slow"; `upsert` counts the points.
 */
const reportingService = {
  listCollections: (_: unknown, ctx: HandlerContext) => ({ collections: [{ name: ctx.requestHeader.get(CLIENT_ADDRESS_HEADER) ?? "(none)" }] }),
  async count(request: { collection: string }, ctx: HandlerContext) {
    if (request.collection === "slow") {
      await Bun.sleep(SLOW_CALL_MS);
      return { count: 0n };
    }
    return { count: BigInt(ctx.timeoutMs() ?? 0) };
  },
  upsert: (request: { points: unknown[] }) => ({ upserted: request.points.length }),
};

/** The internal test service: `countPoints` answers the shard id it was asked about. */
const internalService = {
  countPoints: (request: { shard?: { shardId: number } }) => ({ count: BigInt(request.shard?.shardId ?? 0) }),
};

export async function startListeners(options: {
  readMaxBytes: number;
  deadlines: DeadlinePolicy;
  corsOrigins?: readonly string[];
}): Promise<ListenersFixture> {
  const routes: RpcRoutes = {
    services: [serviceRoute(VectronService, reportingService), serviceRoute(WorkerService, internalService, createClusterSecretGate(FIXTURE_CLUSTER_SECRET))],
    options: { readMaxBytes: options.readMaxBytes, acceptCompression: [compressionGzip] },
    toConnectError: (err) => ConnectError.from(err),
    deadlines: options.deadlines,
  };
  const servers: RunningServer[] = [];
  try {
    const fallback = () => new Response("not found", { status: 404 });
    servers.push(startHttpServer({ hostname: "127.0.0.1", port: 0, routes, fallback, corsOrigins: options.corsOrigins }));
    servers.push(await startGrpcServer({ hostname: "127.0.0.1", port: 0, routes }));
  } catch (err) {
    await Promise.all(servers.map((server) => server.stop()));
    throw err;
  }
  const http = `http://127.0.0.1:${servers[0]!.port}`;
  const h2 = `http://127.0.0.1:${servers[1]!.port}`;
  const gzip = { sendCompression: compressionGzip, compressMinBytes: 0 };
  const transports: Record<ProtocolPath, Transport> = {
    "connect-json fast path (HTTP/1.1)": createConnectTransport({ baseUrl: http }),
    "connect-binary fast path (HTTP/1.1)": createConnectTransport({ baseUrl: http, useBinaryFormat: true }),
    "connect gzip, generic (HTTP/1.1)": createNodeConnectTransport({ baseUrl: http, httpVersion: "1.1", useBinaryFormat: true, ...gzip }),
    "grpc-web, generic (HTTP/1.1)": createGrpcWebTransport({ baseUrl: http }),
    "grpc fast path (HTTP/2)": createGrpcTransport({ baseUrl: h2 }),
    "grpc gzip, generic (HTTP/2)": createGrpcTransport({ baseUrl: h2, ...gzip }),
    "connect, generic (HTTP/2)": createNodeConnectTransport({ baseUrl: h2, httpVersion: "2", useBinaryFormat: true }),
  };
  let stopping: Promise<void> | undefined;
  return {
    httpUrl: http,
    h2Url: h2,
    client: (path) => createClient(VectronService, transports[path]),
    internalClient: (path) => createClient(WorkerService, transports[path]),
    stop: () => (stopping ??= Promise.all(servers.map((server) => server.stop())).then(() => {})),
  };
}
