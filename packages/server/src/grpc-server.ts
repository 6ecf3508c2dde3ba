import http2 from "node:http2";
import type { IncomingHttpHeaders } from "node:http2";
import type { AddressInfo } from "node:net";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { CLIENT_ADDRESS_HEADER, clientAddressOf } from "./client-address";
import { checkDeadlinePolicy, grantDeadline, type RequestHeaderAccess } from "./deadline-policy";
import { createGrpcUnaryFastPath } from "./grpc-unary-fast-path";
import { registerRoutes, type RpcRoutes } from "./rpc-routes";
import type { RunningServer } from "./http-server";
import type { ServerCertificate } from "./server-certificate";

export interface GrpcServerOptions {
  hostname: string;
  /** 0 picks a free port. */
  port: number;
  routes: RpcRoutes;
  /** Serve HTTP/2 over TLS (ALPN h2) with this certificate; cleartext HTTP/2 when absent. */
  tls?: ServerCertificate;
}

/**
 * Serves gRPC (and Connect / gRPC-Web over HTTP/2) on HTTP/2 with `node:http2`, cleartext
 * or over TLS: gRPC unary calls through the fast path, the rest through Connect's node
 * adapter. Bun's HTTP/2 server cannot also answer HTTP/1.1 on the same socket
 * (FINDINGS.md), so this listener has its own port. Before any handler runs, each
 * request gets the client's address (CLIENT_ADDRESS_HEADER) and the deadline the server
 * grants.
 */
export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningServer> {
  const deadlines = checkDeadlinePolicy(options.routes.deadlines);
  const generic = connectNodeAdapter({
    ...options.routes.options,
    routes: (router) => registerRoutes(options.routes, router),
  });
  const fastPath = createGrpcUnaryFastPath(options.routes);
  const onRequest = (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
    req.headers[CLIENT_ADDRESS_HEADER] = clientAddressOf(req.socket.remoteAddress);
    grantDeadline(nodeHeaderAccess(req.headers), deadlines);
    // The stream's writable side finishes once the whole response, trailers too, is sent.
    req.stream.once("finish", () => stopUnreadRequest(req));
    if (!fastPath(req, res)) generic(req, res);
  };
  // A TLS listener speaks HTTP/2 only (ALPN h2): HTTP/1.1 clients belong on the other port.
  const server = options.tls
    ? http2.createSecureServer({ cert: options.tls.cert, key: options.tls.key, allowHTTP1: false }, onRequest)
    : http2.createServer(onRequest);
  const sessions = new Set<http2.Http2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A graceful GOAWAY: streams in flight finish, idle sessions close now.
        for (const session of sessions) session.close();
      }),
  };
}

/**
 * A response sent before the request body was read to its end (a refused oversized body,
 * a deadline) leaves the client sending into a stream nobody reads, and a graceful stop
 * waiting for that stream forever. RST_STREAM with NO_ERROR after the complete response
 * tells the client to stop sending (RFC 9113, 8.1).
 */
function stopUnreadRequest(req: http2.Http2ServerRequest): void {
  if (!req.readableEnded && !req.stream.closed) req.stream.close(http2.constants.NGHTTP2_NO_ERROR);
}

function nodeHeaderAccess(headers: IncomingHttpHeaders): RequestHeaderAccess {
  return {
    get: (name) => {
      const value = headers[name];
      return Array.isArray(value) ? value.join(", ") : value;
    },
    set: (name, value) => {
      headers[name] = value;
    },
  };
}
