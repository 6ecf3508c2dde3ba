import { Code, ConnectError, createContextKey, createContextValues, type ConnectRouterOptions, type HandlerContext, type Interceptor } from "@connectrpc/connect";
import { createAsyncIterable, encodeEnvelope, type Compression, type UniversalHandler, type UniversalHandlerFn, type UniversalServerResponse } from "@connectrpc/connect/protocol";
import { codeToHttpStatus, errorFromJsonBytes, errorToJsonBytes } from "@connectrpc/connect/protocol-connect";
import { findTrailerError, setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import { trailerFlag, trailerSerialize } from "@connectrpc/connect/protocol-grpc-web";

/*
 * Connect's generic handlers report some failures to read a request with code
 * `internal`: a protobuf parse failure ("parse binary: premature EOF"), a compressed
 * envelope without a negotiated compression, a gzip stream zlib cannot finish
 * (connect-es 2.2.0, protocol/serialization.js, protocol/envelope.js, connect-node's
 * compression.js). They all happen before the implementation and its interceptors run,
 * so no interceptor and no toConnectError can see them, and connect-es takes no
 * serialization of ours. What does see every call is the end of the request gate
 * (connect-es's `requestGate`, run before the body is read) and the first interceptor
 * (run once the request is parsed): a call answered `internal`/`unknown` after the first
 * and without reaching the second failed on its request, and is answered
 * `invalid_argument` instead, with the same message, in its protocol's own form. The
 * fast paths decode requests themselves and never need this.
 */

/** How far one call through a generic handler got. */
interface CallProgress {
  /** The call's context, once it passed the route's request gate (before the body is read). */
  context?: HandlerContext;
  /** Set by the first interceptor: the request was read and parsed. */
  requestRead: boolean;
}

/** Far more than the JSON of any error connect-es answers a request it cannot read with. */
const ERROR_BODY_MAX_BYTES = 1 << 20;

const progressKey = createContextKey<CallProgress | undefined>(undefined, { description: "vectron: call progress" });

/** Must end every route's request gate: the call's request is about to be read. */
export function noteRequestReading(context: HandlerContext): void {
  const progress = context.values.get(progressKey);
  if (progress) progress.context = context;
}

/** Must be the first interceptor of every route: its call's request was read and parsed. */
export const noteRequestRead: Interceptor = (next) => (request) => {
  const progress = request.contextValues.get(progressKey);
  if (progress) progress.requestRead = true;
  return next(request);
};

/**
 * `handler` (a unary method's, from a Connect router whose routes run noteRequestReading
 * and noteRequestRead) answering `invalid_argument` where Connect, gRPC or gRPC-Web would
 * have answered `internal`/`unknown` for a request it could not read. Streaming methods
 * (SnapshotShard) fail on their input while their implementation runs, which this cannot
 * tell apart, so their handlers are returned as they are: @vectron/rpc-errors' error
 * interceptor maps their unreadable input instead (unreadable-stream-input.ts).
 */
export function answerUnreadableRequests(handler: UniversalHandler, options: Pick<ConnectRouterOptions, "acceptCompression" | "jsonOptions">): UniversalHandler {
  if (handler.method.methodKind !== "unary") return handler;
  const answer: UniversalHandlerFn = async (request) => {
    const progress: CallProgress = { requestRead: false };
    // Our adapters (the fetch handler, connect-node) give each request its own values, or none.
    const contextValues = request.contextValues ?? createContextValues();
    contextValues.set(progressKey, progress);
    const response = await handler({ ...request, contextValues });
    // A unary handler returns once its request is read and answered or refused, so the
    // progress is final here.
    if (progress.requestRead || !progress.context) return response;
    return progress.context.protocolName === "connect" ? reanswerConnect(response, options) : reanswerGrpc(progress.context, response);
  };
  return Object.assign(answer, handler);
}

/**
 * The error to answer instead of `answered`, if that is `internal`/`unknown`. The code
 * comes from the answer itself, not from the call's abort reason, which is the deadline
 * when it passed while the body was arriving.
 */
function requestErrorFor(answered: ConnectError | undefined): ConnectError | undefined {
  if (answered?.code !== Code.Internal && answered?.code !== Code.Unknown) return undefined;
  const message = answered.rawMessage ? `cannot decode request: ${answered.rawMessage}` : "cannot decode request";
  return new ConnectError(message, Code.InvalidArgument, undefined, undefined, answered);
}

/** gRPC and gRPC-Web: the status is in the call's trailers, which the handler has set. */
function reanswerGrpc(context: HandlerContext, response: UniversalServerResponse): UniversalServerResponse {
  const error = requestErrorFor(findTrailerError(context.responseTrailer));
  if (!error) return response;
  context.responseTrailer.delete("grpc-status-details-bin");
  setTrailerStatus(context.responseTrailer, error);
  // gRPC sends the trailers after the (empty) body. gRPC-Web sends them as a trailer frame
  // that is the whole body, no message having been produced; an uncompressed frame is
  // valid whatever grpc-encoding was negotiated.
  if (context.protocolName !== "grpc-web") return response;
  return { ...response, body: createAsyncIterable([encodeEnvelope(trailerFlag, trailerSerialize(context.responseTrailer))]) };
}

/** Connect unary: the error is the JSON body, compressed if it reached compressMinBytes. */
async function reanswerConnect(
  response: UniversalServerResponse,
  options: Pick<ConnectRouterOptions, "acceptCompression" | "jsonOptions">,
): Promise<UniversalServerResponse> {
  // internal and unknown are HTTP 500 (so is data_loss, which is left as it is).
  if (response.status !== 500 || !response.body) return response;
  const sent = await bytesOf(response.body);
  const error = requestErrorFor(await connectErrorOf(sent, response.header?.get("content-encoding") ?? null, options.acceptCompression ?? []));
  if (!error) return { ...response, body: createAsyncIterable([sent]) };
  const json = errorToJsonBytes(error, options.jsonOptions);
  const header = new Headers(response.header);
  header.delete("content-encoding");
  header.set("content-type", "application/json");
  header.set("content-length", String(json.byteLength));
  return { status: codeToHttpStatus(error.code), header, body: createAsyncIterable([json]) };
}

/** The error in a Connect error body this server sent; `internal` without a message if it cannot be read. */
async function connectErrorOf(body: Uint8Array, encoding: string | null, compressions: Compression[]): Promise<ConnectError> {
  const unreadable = new ConnectError("", Code.Internal);
  const compression = compressions.find((c) => c.name === encoding);
  if (encoding !== null && !compression) return unreadable;
  try {
    return errorFromJsonBytes(compression ? await compression.decompress(body, ERROR_BODY_MAX_BYTES) : body, undefined, unreadable);
  } catch {
    return unreadable;
  }
}

async function bytesOf(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const all: Uint8Array[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return all.length === 1 ? all[0]! : Buffer.concat(all);
}
