import { create, type DescService, type MessageShape } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";

/**
 * A service implementation whose methods need no handler context: internal services
 * are written this way so that one node can call another role in the same process
 * without a network hop or serialization, through the same Client type it uses for
 * remote nodes.
 */
export type ContextFreeImpl<S extends DescService> = {
  [K in keyof S["method"]]: (
    request: MessageShape<S["method"][K]["input"]>,
  ) => Promise<MessageShape<S["method"][K]["output"]>>;
};

/** A Client<S> that calls `impl` directly. Only unary methods are supported. */
export function createLocalClient<S extends DescService>(service: S, impl: ContextFreeImpl<S>): Client<S> {
  const client: Record<string, unknown> = {};
  for (const method of service.methods) {
    if (method.methodKind !== "unary") {
      throw new Error(`createLocalClient: ${service.typeName}.${method.name} is not unary`);
    }
    const call = (impl as Record<string, (request: unknown) => Promise<unknown>>)[method.localName];
    if (!call) throw new Error(`createLocalClient: ${service.typeName}.${method.name} is not implemented`);
    // create() returns the request itself when it already is a message of that type.
    client[method.localName] = (init: Record<string, unknown>) => call(create(method.input, init));
  }
  return client as Client<S>;
}
