import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { createFastPathContext, type FastPathContext } from "./fast-path-context";
import { parseTimeout, setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import type { RpcRoutes } from "./rpc-routes";
import { unaryMethodsByPath, type UnaryMethod } from "./unary-methods";

const GRPC_TYPE = /^application\/grpc(\+proto)?$/i;
const ENVELOPE_HEADER = 5;

/**
 * gRPC unary calls (protobuf, uncompressed) answered straight from the HTTP/2 request,
 * without Connect's generic stream machinery: same generated messages, implementation
 * objects and status mapping. Returns false, having touched nothing, for whatever it
 * does not take (other paths, compression, gRPC-Web or Connect over HTTP/2), which the
 * caller then hands to Connect's node adapter.
 */
export function createGrpcUnaryFastPath(routes: RpcRoutes): (req: Http2ServerRequest, res: Http2ServerResponse) => boolean {
  const byPath = unaryMethodsByPath(routes);
  return (req, res) => {
    const unary = byPath.get(req.url);
    if (!unary || req.method !== "POST") return false;
    if (!GRPC_TYPE.test(req.headers["content-type"] ?? "")) return false;
    const encoding = req.headers["grpc-encoding"];
    if (encoding && encoding !== "identity") return false;
    void answer(unary, req, res, routes);
    return true;
  };
}

async function answer(unary: UnaryMethod, req: Http2ServerRequest, res: Http2ServerResponse, routes: RpcRoutes) {
  let scope: FastPathContext | undefined;
  let completed = false;
  try {
    const requestHeader = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (!name.startsWith(":") && value !== undefined) requestHeader.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    // The listener has already put the deadline the server grants in this header.
    const timeout = parseTimeout(requestHeader.get("grpc-timeout") ?? null, Number.MAX_SAFE_INTEGER);
    if (timeout.error) throw timeout.error;
    scope = createFastPathContext({
      service: unary.service,
      method: unary.method,
      protocolName: "grpc",
      requestMethod: "POST",
      url: req.url,
      requestHeader,
      timeoutMs: timeout.timeoutMs,
    });
    const context = scope.context;
    const handlerContext = context;
    const work = async () => {
      const input = decode(unary, await readBody(req, routes.options.readMaxBytes));
      return create(unary.method.output, (await unary.call(input, handlerContext)) as Record<string, unknown>);
    };
    // Answered at the deadline even if the body is still arriving or the handler ignores ctx.signal.
    const output = await scope.settle(work());
    const message = toBinary(unary.method.output, output);
    const envelope = new Uint8Array(ENVELOPE_HEADER + message.length);
    new DataView(envelope.buffer).setUint32(1, message.length);
    envelope.set(message, ENVELOPE_HEADER);
    const headers: Record<string, string> = { "content-type": "application/grpc+proto" };
    context.responseHeader.forEach((value, name) => (headers[name] = value));
    res.writeHead(200, headers);
    res.write(envelope);
    res.addTrailers({ "grpc-status": "0" });
    res.end();
    completed = true;
  } catch (err) {
    // Headers, then the status in trailers. (A trailers-only response, status in the
    // headers, reaches clients as a bare RST_STREAM through Bun's node:http2.)
    const status = setTrailerStatus(new Headers(), routes.toConnectError(err));
    const trailers: Record<string, string> = {};
    status.forEach((value, name) => (trailers[name] = value));
    if (!res.headersSent) res.writeHead(200, { "content-type": "application/grpc+proto" });
    res.addTrailers(trailers);
    res.end();
  } finally {
    // Stops the deadline timer; a call that did not complete also aborts its signal.
    scope?.release(completed);
  }
}

/**
 * The enveloped request, refused with resource_exhausted naming the limit as soon as it
 * is known to exceed it: from Content-Length, from the length in the envelope's header,
 * or while reading.
 */
async function readBody(req: Http2ServerRequest, limit: number): Promise<Uint8Array> {
  const tooLarge = () => new ConnectError(`request message is larger than the limit of ${limit} bytes`, Code.ResourceExhausted);
  if (Number(req.headers["content-length"] ?? 0) > limit + ENVELOPE_HEADER) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let length = 0;
  let announced = false;
  for await (const chunk of req as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    length += chunk.length;
    if (length > limit + ENVELOPE_HEADER) throw tooLarge();
    if (!announced && length >= ENVELOPE_HEADER) {
      announced = true;
      if (declaredLength(chunks) > limit) throw tooLarge();
    }
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** The message length an envelope's 5-byte header announces (the chunks hold at least 5 bytes). */
function declaredLength(chunks: Uint8Array[]): number {
  const header = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks).subarray(0, ENVELOPE_HEADER);
  return new DataView(header.buffer, header.byteOffset, ENVELOPE_HEADER).getUint32(1);
}

function decode(unary: UnaryMethod, body: Uint8Array) {
  if (body.length < ENVELOPE_HEADER) throw new ConnectError("protocol error: missing message envelope", Code.InvalidArgument);
  if (body[0] !== 0) throw new ConnectError("protocol error: compressed message without grpc-encoding", Code.InvalidArgument);
  const length = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(1);
  if (length !== body.length - ENVELOPE_HEADER) {
    throw new ConnectError("protocol error: unary request must hold exactly one message", Code.InvalidArgument);
  }
  try {
    return fromBinary(unary.method.input, body.subarray(ENVELOPE_HEADER));
  } catch (err) {
    throw new ConnectError(`cannot decode request: ${(err as Error).message}`, Code.InvalidArgument);
  }
}
