import type { DescService } from "@bufbuild/protobuf";
import type { ConnectError, ConnectRouter, ConnectRouterOptions, HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { createDeadlineInterceptor } from "./deadline-race";
import type { DeadlinePolicy } from "./deadline-policy";
import { answerUnreadableRequests, noteRequestRead, noteRequestReading } from "./unreadable-requests";

/**
 * Decides from a call's headers whether it may go on, and throws a ConnectError (e.g.
 * `unauthenticated`) to refuse it. It runs before the request body is read, so a call it
 * refuses is never read, decompressed or parsed (connect-es's `requestGate`).
 */
export type RequestGate = (context: HandlerContext) => void | Promise<void>;

/** One service implementation and the gate that guards it alone; build with serviceRoute(). */
export interface ServiceRoute {
  service: DescService;
  /** Methods by local name, as ServiceImpl has them. */
  impl: Record<string, unknown>;
  /**
   * Checked first on every call, e.g. internal-service authentication. A service with a
   * gate is served only by Connect's generic handlers, which run it before the body.
   */
  gate?: RequestGate;
}

/**
 * The RPC surface of a node: its services and the options every protocol shares. Every
 * listener (HTTP/1.1 and HTTP/2) and the Connect unary fast path serve these same
 * implementation objects, so one handler answers every protocol.
 */
export interface RpcRoutes {
  services: ServiceRoute[];
  options: ConnectRouterOptions & { readMaxBytes: number };
  /** Every call's deadline: the client's timeout clamped to maxMs, defaultMs when it sets none. */
  deadlines: DeadlinePolicy;
  /** Turns anything a handler throws into the error the client sees (the fast path's interceptor). */
  toConnectError: (err: unknown) => ConnectError;
}

/** A route for `service`, type-checking the implementation against it. */
export function serviceRoute<S extends DescService>(service: S, impl: Partial<ServiceImpl<S>>, gate?: RequestGate): ServiceRoute {
  return { service, impl: impl as Record<string, unknown>, gate };
}

/**
 * Registers every route on a Connect router. A call first meets its service's gate,
 * before its body is read; once its request is parsed, the deadline interceptor
 * (outermost, so a call is answered at its deadline whatever runs inside), then the
 * shared interceptors. Every handler answers a request it cannot read with
 * `invalid_argument`, never `internal` (see unreadable-requests.ts).
 */
export function registerRoutes(routes: RpcRoutes, router: ConnectRouter): void {
  const interceptors = [noteRequestRead, createDeadlineInterceptor(), ...(routes.options.interceptors ?? [])];
  for (const route of routes.services) {
    const gate = route.gate;
    const requestGate: RequestGate = gate
      ? async (context) => {
          await gate(context);
          noteRequestReading(context);
        }
      : noteRequestReading;
    const first = router.handlers.length;
    router.service(route.service, route.impl as Partial<ServiceImpl<DescService>>, { interceptors, requestGate });
    // Replaced in place: both listeners serve router.handlers once this returns.
    for (let at = first; at < router.handlers.length; at++) {
      router.handlers[at] = answerUnreadableRequests(router.handlers[at]!, routes.options);
    }
  }
}
