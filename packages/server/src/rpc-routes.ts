import type { ConnectRouter, ConnectRouterOptions } from "@connectrpc/connect";

/**
 * The RPC surface of a node: a function registering service implementations on a
 * router, plus the options every protocol shares. Both listeners (HTTP/1.1 and HTTP/2)
 * build their router from the same RpcRoutes, so one handler object answers every
 * protocol.
 */
export interface RpcRoutes {
  register: (router: ConnectRouter) => void;
  options: ConnectRouterOptions;
}
