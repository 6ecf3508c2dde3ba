import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { createGrpcUnaryFastPath } from "./grpc-unary-fast-path";
import { registerRoutes, type RpcRoutes } from "./rpc-routes";
import type { RunningServer } from "./http-server";

export interface GrpcServerOptions {
  hostname: string;
  /** 0 picks a free port. */
  port: number;
  routes: RpcRoutes;
}

/**
 * Serves gRPC (and Connect / gRPC-Web over HTTP/2) on cleartext HTTP/2 with
 * `node:http2`: gRPC unary calls through the fast path, the rest through Connect's
 * node adapter. Bun's HTTP/2 server cannot also answer HTTP/1.1 on the same socket
 * (FINDINGS.md), so this listener has its own port.
 */
export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningServer> {
  const generic = connectNodeAdapter({
    ...options.routes.options,
    routes: (router) => registerRoutes(options.routes, router),
  });
  const fastPath = createGrpcUnaryFastPath(options.routes);
  const server = http2.createServer((req, res) => {
    if (!fastPath(req, res)) generic(req, res);
  });
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
