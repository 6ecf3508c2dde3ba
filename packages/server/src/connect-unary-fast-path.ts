import { create, fromBinary, fromJsonString, toBinary, toJsonString, type DescMethod } from "@bufbuild/protobuf";
import { Code, ConnectError, createHandlerContext } from "@connectrpc/connect";
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
 * (gRPC-Web, compressed bodies, GET, services with guards): `handle` returns undefined
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
  try {
    const timeout = request.headers.get("connect-timeout-ms");
    const context = createHandlerContext({
      service,
      method,
      protocolName: "connect",
      requestMethod: "POST",
      url: request.url,
      requestSignal: request.signal,
      requestHeader: request.headers,
      timeoutMs: timeout ? parseTimeout(timeout) : undefined,
    });
    const body = await request.bytes();
    if (body.length > routes.options.readMaxBytes) {
      throw new ConnectError(
        `request body is ${body.length} bytes, the limit is ${routes.options.readMaxBytes}`,
        Code.ResourceExhausted,
      );
    }
    const input = decode(method, body, binary, jsonRead);
    const output = create(method.output, (await call(input, context)) as Record<string, unknown>);
    const bytes = binary ? toBinary(method.output, output) : (jsonRenderingOf(output)?.(jsonWrite) ?? toJsonString(method.output, output, jsonWrite));
    const headers = new Headers(context.responseHeader);
    headers.set("content-type", contentType);
    return new Response(bytes, { status: 200, headers });
  } catch (err) {
    const error = routes.toConnectError(err);
    return new Response(errorToJsonBytes(error, jsonWrite), {
      status: codeToHttpStatus(error.code),
      headers: { "content-type": "application/json" },
    });
  }
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
