import type { DescMethod, DescService } from "@bufbuild/protobuf";
import type { RpcRoutes } from "./rpc-routes";

/** A unary implementation as the fast paths call it: request message and handler context in. */
export type UnaryCall = (request: unknown, context: unknown) => Promise<unknown> | unknown;

/** One unary RPC a fast path may answer. */
export interface UnaryMethod {
  service: DescService;
  method: DescMethod;
  call: UnaryCall;
}

/**
 * The unary methods of every unguarded service, by request path (`/pkg.Service/Method`).
 * Services with a gate (the internal ones) are left to Connect's generic handlers, which
 * run it before reading the body: the fast paths have no gate to run.
 */
export function unaryMethodsByPath(routes: RpcRoutes): Map<string, UnaryMethod> {
  const byPath = new Map<string, UnaryMethod>();
  for (const route of routes.services) {
    if (route.gate) continue;
    for (const method of route.service.methods) {
      const impl = route.impl[method.localName];
      if (method.methodKind !== "unary" || typeof impl !== "function") continue;
      byPath.set(`/${route.service.typeName}/${method.name}`, {
        service: route.service,
        method,
        call: (impl as UnaryCall).bind(route.impl),
      });
    }
  }
  return byPath;
}
