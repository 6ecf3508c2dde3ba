import { create, fromBinary, fromJsonString, toBinary, toJsonString, type DescMethod } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { createFastPathContext, type FastPathContext } from "./fast-path-context";
import { codeToHttpStatus, errorToJsonBytes } from "@connectrpc/connect/protocol-connect";
import { jsonRenderingOf } from "@vectron/prerendered-json";
import type { RpcRoutes } from "./rpc-routes";
import { unaryMethodsByPath, type UnaryMethod } from "./unary-methods";

const JSON_TYPE = /^application\/json(;\s*charset=utf-?8)?$/i;
const PROTO_TYPE = /^application\/proto$/i;
const utf8 = new TextDecoder();

/**
 * Connect unary calls (POST, JSON or binary, uncompressed) answered without Connect's
 * generic stream machinery, which FINDINGS.md measured as most of the cost of a small
 * RPC on Bun. Same generated messages, same implementation objects, same wire format
 * and error mapping as the generic handlers, which still answer everything else
 * (gRPC-Web, compressed bodies, GET, services with a gate): `handle` returns undefined
 * for those.
 */
export function createConnectUnaryFastPath(routes: RpcRoutes): (request: Request, path: string) => Promise<Response> | undefined {
  const byPath = unaryMethodsByPath(routes);
  const jsonRead = { ...routes.options.jsonOptions };
  const jsonWrite = { ...routes.options.jsonOptions };
  return (request, path) => {
    const unary = byPath.get(path);
    if (!unary || request.method !== "POST") return undefined;
    const encoding = request.headers.get("content-encoding");
    if (encoding && encoding !== "identity") return undefined;
    const type = request.headers.get("content-type") ?? "";
    if (!JSON_TYPE.test(type) && !PROTO_TYPE.test(type)) return undefined;
    return answer(unary, request, routes, jsonRead, jsonWrite);
  };
}

async function answer(
  { service, method, call }: UnaryMethod,
  request: Request,
  routes: RpcRoutes,
  jsonRead: object,
  jsonWrite: object,
): Promise<Response> {
  const binary = PROTO_TYPE.test(request.headers.get("content-type") ?? "");
  const contentType = binary ? "application/proto" : "application/json";
  let scope: FastPathContext | undefined;
  let completed = false;
  let bodyRead = false;
  try {
    // The listener has already put the deadline the server grants in this header.
    const timeout = request.headers.get("connect-timeout-ms");
    scope = createFastPathContext({
      service,
      method,
      protocolName: "connect",
      requestMethod: "POST",
      url: request.url,
      requestSignal: request.signal,
      requestHeader: request.headers,
      timeoutMs: timeout ? parseTimeout(timeout) : undefined,
    });
    const context = scope.context;
    const handlerContext = context;
    const work = async () => {
      const body = await readBody(request, routes.options.readMaxBytes);
      bodyRead = true;
      const input = decode(method, body, binary, jsonRead);
      return create(method.output, (await call(input, handlerContext)) as Record<string, unknown>);
    };
    // Answered at the deadline even if the body is still arriving or the handler ignores ctx.signal.
    const output = await scope.settle(work());
    const bytes = binary ? toBinary(method.output, output) : (jsonRenderingOf(output)?.(jsonWrite) ?? toJsonString(method.output, output, jsonWrite));
    const headers = new Headers(context.responseHeader);
    headers.set("content-type", contentType);
    completed = true;
    return new Response(bytes, { status: 200, headers });
  } catch (err) {
    const error = routes.toConnectError(err);
    // An error's metadata (e.g. a rate limit's retry-after-ms) travels as response
    // headers, as Connect's own unary handler sends it.
    const headers = new Headers(error.metadata);
    headers.set("content-type", "application/json");
    // The rest of an unread body (refused for its size, or past the deadline) would have
    // to be drained before the connection serves again, and a graceful stop would wait
    // for it: close the connection instead.
    if (!bodyRead) headers.set("connection", "close");
    return new Response(errorToJsonBytes(error, jsonWrite), { status: codeToHttpStatus(error.code), headers });
  } finally {
    // Stops the deadline timer; a call that did not complete also aborts its signal.
    scope?.release(completed);
  }
}

/**
 * The request body, refused with resource_exhausted naming the limit as soon as it is
 * known to exceed it: at once from Content-Length, or while reading a chunked body.
 */
async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null) {
    const length = Number(declared);
    if (length > limit) throw new ConnectError(`request body is ${length} bytes, the limit is ${limit}`, Code.ResourceExhausted);
    return request.bytes();
  }
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of request.body ?? []) {
    length += chunk.length;
    if (length > limit) throw new ConnectError(`request body is larger than the limit of ${limit} bytes`, Code.ResourceExhausted);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

function decode(method: DescMethod, body: Uint8Array, binary: boolean, jsonRead: object) {
  try {
    if (binary) return fromBinary(method.input, body);
    return fromJsonString(method.input, utf8.decode(body), jsonRead);
  } catch (err) {
    throw new ConnectError(`cannot decode request: ${(err as Error).message}`, Code.InvalidArgument);
  }
}

function parseTimeout(value: string): number {
  const ms = Number(value);
  if (!/^\d{1,10}$/.test(value) || !Number.isSafeInteger(ms)) {
    throw new ConnectError(`protocol error: invalid connect-timeout-ms ${JSON.stringify(value)}`, Code.InvalidArgument);
  }
  return ms;
}
