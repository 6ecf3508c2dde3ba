import { create, type DescService, type MessageShape } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";

/**
 * A service implementation whose methods need no handler context: internal services
 * are written this way so that one node can call another role in the same process
 * without a network hop or serialization, through the same Client type it uses for
 * remote nodes. Unary methods answer a promise; server-streaming ones an async iterable.
 */
export type ContextFreeImpl<S extends DescService> = {
  [K in keyof S["method"]]: S["method"][K]["methodKind"] extends "server_streaming"
    ? (request: MessageShape<S["method"][K]["input"]>) => AsyncIterable<MessageShape<S["method"][K]["output"]>>
    : (request: MessageShape<S["method"][K]["input"]>) => Promise<MessageShape<S["method"][K]["output"]>>;
};

/** A Client<S> that calls `impl` directly. Only unary and server-streaming methods are supported. */
export function createLocalClient<S extends DescService>(service: S, impl: ContextFreeImpl<S>): Client<S> {
  const client: Record<string, unknown> = {};
  for (const method of service.methods) {
    if (method.methodKind !== "unary" && method.methodKind !== "server_streaming") {
      throw new Error(`createLocalClient: ${service.typeName}.${method.name} is neither unary nor server-streaming`);
    }
    const call = (impl as Record<string, (request: unknown) => unknown>)[method.localName];
    if (!call) throw new Error(`createLocalClient: ${service.typeName}.${method.name} is not implemented`);
    // create() returns the request itself when it already is a message of that type.
    client[method.localName] =
      method.methodKind === "unary"
        ? (init: Record<string, unknown>) => call(create(method.input, init))
        : (init: Record<string, unknown>, options?: { signal?: AbortSignal }) =>
            abortable(call(create(method.input, init)) as AsyncIterable<unknown> | Promise<AsyncIterable<unknown>>, options?.signal);
  }
  return client as Client<S>;
}

/** The stream, ended (its generator returned, so its cleanup runs) when `signal` aborts. */
async function* abortable<T>(stream: AsyncIterable<T> | Promise<AsyncIterable<T>>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  for await (const item of await stream) {
    signal?.throwIfAborted();
    yield item;
  }
}
