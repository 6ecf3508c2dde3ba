import type { DescService } from "@bufbuild/protobuf";
import type { ConnectError, ConnectRouter, ConnectRouterOptions, Interceptor, ServiceImpl } from "@connectrpc/connect";

/** One service implementation and the interceptors that guard it alone; build with serviceRoute(). */
export interface ServiceRoute {
  service: DescService;
  /** Methods by local name, as ServiceImpl has them. */
  impl: Record<string, unknown>;
  /**
   * Run after the shared interceptors, e.g. internal-service authentication. A service
   * with guards of its own is served only by Connect's generic handlers.
   */
  guards?: Interceptor[];
}

/**
 * The RPC surface of a node: its services and the options every protocol shares. Every
 * listener (HTTP/1.1 and HTTP/2) and the Connect unary fast path serve these same
 * implementation objects, so one handler answers every protocol.
 */
export interface RpcRoutes {
  services: ServiceRoute[];
  options: ConnectRouterOptions & { readMaxBytes: number };
  /** Turns anything a handler throws into the error the client sees (the fast path's interceptor). */
  toConnectError: (err: unknown) => ConnectError;
}

/** A route for `service`, type-checking the implementation against it. */
export function serviceRoute<S extends DescService>(service: S, impl: Partial<ServiceImpl<S>>, guards?: Interceptor[]): ServiceRoute {
  return { service, impl: impl as Record<string, unknown>, guards };
}

/** Registers every route on a Connect router; per-service guards follow the shared interceptors. */
export function registerRoutes(routes: RpcRoutes, router: ConnectRouter): void {
  const shared = routes.options.interceptors ?? [];
  for (const route of routes.services) {
    router.service(route.service, route.impl as Partial<ServiceImpl<DescService>>, route.guards ? { interceptors: [...shared, ...route.guards] } : undefined);
  }
}
