import { createConnectRouter } from "@connectrpc/connect";
import { createFetchHandler } from "@connectrpc/connect/protocol";
import { createConnectUnaryFastPath } from "./connect-unary-fast-path";
import { registerRoutes, type RpcRoutes } from "./rpc-routes";

export interface HttpServerOptions {
  hostname: string;
  /** 0 picks a free port. */
  port: number;
  routes: RpcRoutes;
  /** Requests that are not RPCs (health, metrics, console). */
  fallback: (request: Request) => Response | Promise<Response>;
}

export interface RunningServer {
  readonly port: number;
  /** Stops accepting connections and resolves once in-flight requests have finished. */
  stop(): Promise<void>;
}

const BODY_LIMIT_MARGIN = 1 << 20;

/**
 * Serves Connect (JSON and binary) and gRPC-Web over HTTP/1.1 on `Bun.serve`: Connect
 * unary calls through the fast path, everything else through Connect's fetch-based
 * universal handlers. FINDINGS.md measured this faster than the node:http adapter on
 * Bun, which is why gRPC (HTTP/2) gets a listener of its own.
 */
export function startHttpServer(options: HttpServerOptions): RunningServer {
  const router = createConnectRouter(options.routes.options);
  registerRoutes(options.routes, router);
  const fastPath = createConnectUnaryFastPath(options.routes);
  const byPath = new Map<string, (request: Request) => Promise<Response>>();
  for (const handler of router.handlers) {
    byPath.set(handler.requestPath, createFetchHandler(handler, { httpVersion: "1.1" }));
  }
  const server = Bun.serve({
    hostname: options.hostname,
    port: options.port,
    // Bun answers a bare 413 above this; the margin lets Connect's own limit (and the
    // fast path's) answer first, with a `resource_exhausted` error clients can read.
    maxRequestBodySize: options.routes.options.readMaxBytes + BODY_LIMIT_MARGIN,
    fetch(request) {
      const path = pathOf(request.url);
      const fast = fastPath(request, path);
      if (fast) return fast;
      const rpc = byPath.get(path);
      return rpc ? rpc(request) : options.fallback(request);
    },
  });
  return {
    port: server.port ?? options.port,
    stop: () => server.stop(false),
  };
}

/** The path of an absolute request URL, without building a URL object. */
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const query = url.indexOf("?", start);
  return url.slice(start, query < 0 ? undefined : query);
}
