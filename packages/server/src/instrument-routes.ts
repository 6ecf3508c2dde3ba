import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import type { Logger } from "./json-logger";
import { REQUEST_ID_HEADER, requestIdOf } from "./request-id";
import { codeNames, rpcProtocols, type MethodMetrics, type RpcMetrics } from "./rpc-metrics";
import type { RpcRoutes, ServiceRoute } from "./rpc-routes";

export interface RouteInstruments {
  metrics: RpcMetrics;
  /** Access lines (one per call) at debug level; failures with a server-side code at error level. */
  log: Logger;
  /**
   * As RpcRoutes.toConnectError, told which call failed, so that the log line of an
   * `internal` error carries the request id the client can quote.
   */
  toConnectError: (err: unknown, call: CallLabels) => ConnectError;
}

/** Which call a log line is about. */
export interface CallLabels {
  requestId: string;
  service: string;
  method: string;
}

/** Codes that mean the server failed, not the request: logged with the request id even when not converted here. */
const serverFaults = new Set<Code>([Code.Internal, Code.Unknown, Code.DataLoss]);

type Unary = (request: unknown, context: HandlerContext) => unknown;

/**
 * The same routes with every method of every service wrapped once, here, at the one
 * place all paths share: the fast paths (Connect unary over HTTP/1.1, gRPC unary over
 * HTTP/2) and Connect's generic handlers all call these implementation objects. Each
 * call gets a request id (the client's sane `x-request-id`, else a new one) in its
 * response headers, is counted and timed by protocol and code, and its error is turned
 * into the ConnectError the client sees here, with the request id in the error's
 * metadata and in the log line of an `internal` error. Requests refused before their
 * handler runs (an undecodable or oversized body, a wrong cluster secret, an unknown
 * method) are not counted.
 */
export function instrumentRoutes(routes: RpcRoutes, instruments: RouteInstruments): RpcRoutes {
  return { ...routes, services: routes.services.map((route) => instrumentService(route, instruments)) };
}

function instrumentService(route: ServiceRoute, instruments: RouteInstruments): ServiceRoute {
  const impl: Record<string, unknown> = {};
  for (const method of route.service.methods) {
    const original = route.impl[method.localName];
    if (typeof original !== "function") continue;
    if (method.methodKind !== "unary") {
      impl[method.localName] = original.bind(route.impl);
      continue;
    }
    const counters = instruments.metrics.method(route.service.typeName, method.name);
    impl[method.localName] = instrumentUnary((original as Unary).bind(route.impl), counters, instruments);
  }
  return { ...route, impl };
}

function instrumentUnary(call: Unary, counters: MethodMetrics, { log, toConnectError }: RouteInstruments): Unary {
  const labels = { service: counters.service, method: counters.method };
  return async (request, context) => {
    const started = performance.now();
    // What the client was told: the deadline's answer leaves when the deadline passes,
    // even while the handler runs on, so a late call is timed to its deadline.
    const budgetMs = context.timeoutMs();
    const requestId = requestIdOf(context.requestHeader.get(REQUEST_ID_HEADER));
    context.responseHeader.set(REQUEST_ID_HEADER, requestId);
    counters.inFlight++;
    let code: Code | 0 = 0;
    try {
      return await call(request, context);
    } catch (err) {
      const error = toConnectError(err, { requestId, ...labels });
      if (err instanceof ConnectError && serverFaults.has(error.code)) log.error("rpc failed", { requestId, ...labels, code: codeNames[error.code], err: error.rawMessage });
      code = error.code;
      // The error response's headers (Connect) or trailers (gRPC) come from its metadata.
      const metadata = new Headers(error.metadata);
      metadata.set(REQUEST_ID_HEADER, requestId);
      const answered = new ConnectError(error.rawMessage, error.code, metadata, undefined, error.cause);
      answered.details.push(...error.details);
      throw answered;
    } finally {
      counters.inFlight--;
      let ms = performance.now() - started;
      if (context.signal.aborted) {
        code = ConnectError.from(context.signal.reason).code;
        if (code === Code.DeadlineExceeded && budgetMs !== undefined) ms = Math.min(ms, budgetMs);
      }
      counters.record(protocolIndexOf(context), code, ms / 1000);
      if (log.enabled("debug")) log.debug("rpc", { requestId, ...labels, protocol: rpcProtocols[protocolIndexOf(context)], code: codeNames[code], durationMs: Math.round(ms * 1000) / 1000 });
    }
  };
}

/** Index into rpcProtocols. */
function protocolIndexOf(context: HandlerContext): number {
  switch (context.protocolName) {
    case "grpc":
      return 2;
    case "grpc-web":
      return 3;
    default:
      // A Connect unary POST says application/json or application/proto (a GET says neither: JSON by default).
      return context.requestHeader.get("content-type")?.includes("proto") ? 1 : 0;
  }
}
