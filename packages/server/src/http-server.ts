import { createConnectRouter } from "@connectrpc/connect";
import { createFetchHandler } from "@connectrpc/connect/protocol";
import { CLIENT_ADDRESS_HEADER, clientAddressOf } from "./client-address";
import { createConnectUnaryFastPath } from "./connect-unary-fast-path";
import { createCorsPolicy, type CorsPolicy } from "./cors-policy";
import { checkDeadlinePolicy, grantDeadline, type RequestHeaderAccess } from "./deadline-policy";
import { registerRoutes, type RpcRoutes } from "./rpc-routes";
import type { ServerCertificate } from "./server-certificate";

export interface HttpServerOptions {
  hostname: string;
  /** 0 picks a free port. */
  port: number;
  routes: RpcRoutes;
  /** Requests that are not RPCs (health, metrics, console). */
  fallback: (request: Request) => Response | Promise<Response>;
  /** Serve HTTPS with this certificate; cleartext HTTP when absent. */
  tls?: ServerCertificate;
  /** Origins whose pages may call the API from a browser; none by default (see cors-policy.ts). */
  corsOrigins?: readonly string[];
}

export interface RunningServer {
  readonly port: number;
  /** Stops accepting connections and resolves once in-flight requests have finished. */
  stop(): Promise<void>;
}

/**
 * Bun's own body limit, which answers a bare 413 before the handler runs, is lifted: every
 * RPC path refuses a body over `readMaxBytes` itself, with a `resource_exhausted` error
 * naming the limit, as soon as Content-Length or the bytes read show it (the fast path
 * and Connect's handlers alike), and the fallback routes never read a body. Bun drains
 * the rest of a refused body without keeping it.
 */
const NO_BUN_BODY_LIMIT = Number.MAX_SAFE_INTEGER;

/**
 * Serves Connect (JSON and binary) and gRPC-Web over HTTP/1.1 on `Bun.serve`, over TLS
 * when given a certificate: Connect unary calls through the fast path, everything else
 * through Connect's fetch-based universal handlers. FINDINGS.md measured this faster
 * than the node:http adapter on Bun, which is why gRPC (HTTP/2) gets a listener of its
 * own. Before any handler runs, each request gets the client's address
 * (CLIENT_ADDRESS_HEADER) and the deadline the server grants.
 */
export function startHttpServer(options: HttpServerOptions): RunningServer {
  const deadlines = checkDeadlinePolicy(options.routes.deadlines);
  const limit = options.routes.options.readMaxBytes;
  const router = createConnectRouter(options.routes.options);
  registerRoutes(options.routes, router);
  const fastPath = createConnectUnaryFastPath(options.routes);
  const cors = createCorsPolicy(options.corsOrigins ?? []);
  const byPath = new Map<string, (request: Request) => Promise<Response>>();
  for (const handler of router.handlers) {
    byPath.set(handler.requestPath, createFetchHandler(handler, { httpVersion: "1.1" }));
  }
  const server = Bun.serve({
    hostname: options.hostname,
    port: options.port,
    tls: options.tls,
    maxRequestBodySize: NO_BUN_BODY_LIMIT,
    fetch(request, server) {
      request.headers.set(CLIENT_ADDRESS_HEADER, clientAddressOf(server.requestIP(request)?.address));
      grantDeadline(fetchHeaderAccess(request.headers), deadlines);
      const path = pathOf(request.url);
      const rpc = byPath.get(path);
      if (rpc) {
        const preflight = cors.preflight(request);
        if (preflight) return preflight;
      }
      const response = fastPath(request, path) ?? (rpc ? rpc(request) : options.fallback(request));
      const answered = Number(request.headers.get("content-length")) > limit ? closingConnection(response) : response;
      return rpc && request.headers.has("origin") ? withCors(cors, request, answered) : answered;
    },
  });
  return {
    port: server.port ?? options.port,
    stop: () => server.stop(false),
  };
}

/**
 * The response to a request whose body was refused unread for its declared size: the
 * connection closes after it instead of draining the rest of the body first (which a
 * graceful stop would otherwise wait for).
 */
async function closingConnection(response: Response | Promise<Response>): Promise<Response> {
  const answered = await response;
  answered.headers.set("connection", "close");
  return answered;
}

async function withCors(cors: CorsPolicy, request: Request, response: Response | Promise<Response>): Promise<Response> {
  return cors.decorate(request, await response);
}

function fetchHeaderAccess(headers: Headers): RequestHeaderAccess {
  return { get: (name) => headers.get(name) ?? undefined, set: (name, value) => headers.set(name, value) };
}

/** The path of an absolute request URL, without building a URL object. */
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const query = url.indexOf("?", start);
  return url.slice(start, query < 0 ? undefined : query);
}
