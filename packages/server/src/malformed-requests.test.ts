import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import http2 from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";
import { codeFromString } from "@connectrpc/connect/protocol-connect";
import { findTrailerError } from "@connectrpc/connect/protocol-grpc";
import { trailerParse } from "@connectrpc/connect/protocol-grpc-web";
import { CLUSTER_SECRET_HEADER } from "@vectron/internal-client";
import { FIXTURE_CLUSTER_SECRET, protocolPaths, startListeners, type ListenersFixture, type ProtocolPath } from "./listeners-fixture";

const COUNT = "/vectron.v1.VectronService/Count";
const COUNT_POINTS = "/vectron.worker.v1.WorkerService/CountPoints";

/** Field 1 (a string) announcing 5 bytes and holding 1: "premature EOF". */
const truncatedMessage = Uint8Array.of(0x0a, 0x05, 0x61);
/** A tag for field number 0, which protobuf forbids. */
const illegalTag = Uint8Array.of(0x00);
const notGzip = new TextEncoder().encode("this is not gzip");
/** A gzip stream cut short: zlib reports Z_BUF_ERROR, which connect-node maps to internal. */
const truncatedGzip = Bun.gzipSync(new TextEncoder().encode("x".repeat(64))).subarray(0, 12);

/** A 5-byte gRPC envelope header (flags, then big-endian length), then `message`. */
function envelope(message: Uint8Array, flags = 0, declaredLength = message.length): Uint8Array {
  const frame = new Uint8Array(5 + message.length);
  frame[0] = flags;
  new DataView(frame.buffer).setUint32(1, declaredLength);
  frame.set(message, 5);
  return frame;
}

type Wire = "connect" | "grpc" | "grpc-web";
interface RawPath {
  port: "http" | "h2";
  wire: Wire;
  headers: Record<string, string>;
}
/** How each protocol path of the fixture is reached with raw bytes. */
const rawPaths: Record<ProtocolPath, RawPath> = {
  "connect-json fast path (HTTP/1.1)": { port: "http", wire: "connect", headers: { "content-type": "application/json" } },
  "connect-binary fast path (HTTP/1.1)": { port: "http", wire: "connect", headers: { "content-type": "application/proto" } },
  "connect gzip, generic (HTTP/1.1)": { port: "http", wire: "connect", headers: { "content-type": "application/proto", "content-encoding": "gzip" } },
  "grpc-web, generic (HTTP/1.1)": { port: "http", wire: "grpc-web", headers: { "content-type": "application/grpc-web+proto" } },
  "grpc fast path (HTTP/2)": { port: "h2", wire: "grpc", headers: { "content-type": "application/grpc" } },
  "grpc gzip, generic (HTTP/2)": { port: "h2", wire: "grpc", headers: { "content-type": "application/grpc", "grpc-encoding": "gzip" } },
  "connect, generic (HTTP/2)": { port: "h2", wire: "connect", headers: { "content-type": "application/proto" } },
};

/** What is wrong, the body, and headers beyond the path's own. */
type Malformed = [what: string, body: Uint8Array, headers?: Record<string, string>];

/** Bodies each path cannot read: broken messages, and broken framing or compression where the path has them. */
function malformedBodies(path: ProtocolPath): Malformed[] {
  const text = (s: string) => new TextEncoder().encode(s);
  const brokenEnvelopes: Malformed[] = [
    ["envelope announcing 10 bytes, holding 3", envelope(truncatedMessage, 0, 10)],
    ["compressed flag without grpc-encoding", envelope(truncatedMessage, 1)],
  ];
  switch (path) {
    case "connect-json fast path (HTTP/1.1)":
      return [["truncated JSON", text('{"collection": "a')], ["not JSON", truncatedMessage], ["a number for a string field", text('{"collection": 5}')]];
    case "connect-binary fast path (HTTP/1.1)":
    case "connect, generic (HTTP/2)":
      // (A body said to be gzip goes to the generic handler, whichever path it came by.)
      return [["truncated message", truncatedMessage], ["illegal tag", illegalTag], ["not gzip, said to be", notGzip, { "content-encoding": "gzip" }]];
    case "connect gzip, generic (HTTP/1.1)":
      return [["truncated message", Bun.gzipSync(truncatedMessage)], ["illegal tag", Bun.gzipSync(illegalTag)], ["not gzip", notGzip], ["truncated gzip", truncatedGzip]];
    case "grpc-web, generic (HTTP/1.1)":
    case "grpc fast path (HTTP/2)":
      return [
        ["truncated message", envelope(truncatedMessage)],
        ["illegal tag", envelope(illegalTag)],
        ...brokenEnvelopes,
        ["not gzip, said to be", envelope(notGzip, 1), { "grpc-encoding": "gzip" }],
      ];
    case "grpc gzip, generic (HTTP/2)":
      return [
        ["truncated message", envelope(Bun.gzipSync(truncatedMessage), 1)],
        ["illegal tag", envelope(Bun.gzipSync(illegalTag), 1)],
        ["illegal tag, uncompressed envelope", envelope(illegalTag)],
        ["not gzip", envelope(notGzip, 1)],
        ["truncated gzip", envelope(truncatedGzip, 1)],
        ...brokenEnvelopes.slice(0, 1),
      ];
  }
}

interface RpcAnswer {
  code: Code | 0;
  message: string;
}

/** The RPC status of a response in any of the three wire formats. */
function rpcAnswerOf(wire: Wire, status: number, headers: Headers, trailers: Headers, body: Uint8Array): RpcAnswer {
  if (wire === "connect") {
    if (status === 200) return { code: 0, message: "" };
    const error = JSON.parse(new TextDecoder().decode(body)) as { code: string; message?: string };
    return { code: codeFromString(error.code) ?? Code.Unknown, message: error.message ?? "" };
  }
  let fields = headers.has("grpc-status") ? headers : trailers;
  // gRPC-Web sends its trailers as the body's last frame (flag 0x80).
  for (let at = 0; wire === "grpc-web" && at + 5 <= body.length; at += 5 + new DataView(body.buffer, body.byteOffset + at + 1, 4).getUint32(0)) {
    if (body[at]! & 0x80) fields = trailerParse(body.subarray(at + 5));
  }
  if (!fields.has("grpc-status")) throw new Error(`no grpc-status in the answer (HTTP ${status})`);
  const error = findTrailerError(fields);
  return { code: error?.code ?? 0, message: error?.rawMessage ?? "" };
}

interface RawRequest {
  rpc: string;
  wire: Wire;
  headers: Record<string, string>;
  body: Uint8Array;
  /** Send the body without its end. */
  open: boolean;
}

async function postHttp1(baseUrl: string, request: RawRequest): Promise<RpcAnswer> {
  const stop = new AbortController();
  const unfinished = new ReadableStream<Uint8Array>({ start: (controller) => controller.enqueue(request.body) });
  try {
    const init = { method: "POST", headers: request.headers, body: request.open ? unfinished : request.body, signal: stop.signal };
    const response = await fetch(baseUrl + request.rpc, init);
    const body = new Uint8Array(await response.arrayBuffer());
    return rpcAnswerOf(request.wire, response.status, response.headers, new Headers(), body);
  } finally {
    // Ends an unfinished body's connection.
    stop.abort();
  }
}

function postHttp2(session: http2.ClientHttp2Session, request: RawRequest): Promise<RpcAnswer> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ":method": "POST", ":path": request.rpc, te: "trailers", ...request.headers });
    let status = 0;
    const headers = new Headers();
    const trailers = new Headers();
    const chunks: Buffer[] = [];
    const copy = (target: Headers, fields: http2.IncomingHttpHeaders) => {
      for (const [name, value] of Object.entries(fields)) if (!name.startsWith(":") && value !== undefined) target.set(name, String(value));
    };
    stream.on("response", (fields) => {
      status = Number(fields[":status"]);
      copy(headers, fields);
    });
    stream.on("trailers", (fields) => copy(trailers, fields));
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("error", reject);
    stream.on("close", () => {
      try {
        resolve(rpcAnswerOf(request.wire, status, headers, trailers, Buffer.concat(chunks)));
      } catch (err) {
        reject(err);
      }
    });
    if (request.open) stream.write(request.body);
    else stream.end(request.body);
  });
}

describe("malformed requests", () => {
  let listeners: ListenersFixture;
  let session: http2.ClientHttp2Session;
  beforeAll(async () => {
    listeners = await startListeners({ readMaxBytes: 1 << 20, deadlines: { maxMs: 60_000, defaultMs: 30_000 } });
    session = http2.connect(listeners.h2Url);
  });
  afterAll(async () => {
    session?.close();
    await listeners?.stop();
  });

  /**
   * POSTs `body` to `rpc` as `path` sends it (with `extra` headers) and reads the status.
   * An `open` body is sent without its end: the answer must come while it is unfinished.
   */
  function send(path: ProtocolPath, rpc: string, body: Uint8Array, extra: Record<string, string> = {}, open = false): Promise<RpcAnswer> {
    const { port, wire, headers } = rawPaths[path];
    const request = { rpc, wire, headers: { ...headers, ...extra }, body, open };
    return port === "http" ? postHttp1(listeners.httpUrl, request) : postHttp2(session, request);
  }

  test.each(protocolPaths)("%s: a body that cannot be read is refused with invalid_argument, never internal", async (path) => {
    for (const [what, body, headers] of malformedBodies(path)) {
      const answer = await send(path, COUNT, body, headers);
      expect({ what, code: Code[answer.code] }).toEqual({ what, code: "InvalidArgument" });
      expect(answer.message.length, what).toBeGreaterThan(0);
    }
    // The same listener still answers a good call on the same path.
    expect((await listeners.client(path).count({ collection: "c" })).count).toBeGreaterThan(0n);
  });

  test.each(protocolPaths)("%s: an unreadable body whose deadline passed before it was read is not answered internal either", async (path) => {
    const [what, body, headers] = malformedBodies(path)[0]!;
    // A zero timeout: the call's deadline has passed before its body is parsed.
    const expired: Record<string, string> = rawPaths[path].wire === "connect" ? { "connect-timeout-ms": "0" } : { "grpc-timeout": "0n" };
    const answer = await send(path, COUNT, body, { ...headers, ...expired });
    expect(["InvalidArgument", "DeadlineExceeded"], what).toContain(String(Code[answer.code]));
  });

  test("the gRPC port's other content types (gRPC-Web, gRPC JSON) refuse unreadable bodies with invalid_argument", async () => {
    const cases: [string, Record<string, string>, Uint8Array][] = [
      ["gRPC-Web, illegal tag", { "content-type": "application/grpc-web" }, envelope(illegalTag)],
      ["gRPC-Web, compressed flag, identity", { "content-type": "application/grpc-web", "grpc-encoding": "identity" }, envelope(truncatedMessage, 1)],
      ["gRPC JSON, truncated JSON", { "content-type": "application/grpc+json" }, envelope(new TextEncoder().encode('{"collection":'))],
      ["gRPC JSON, compressed flag, identity", { "content-type": "application/grpc+json", "grpc-encoding": "identity" }, envelope(new TextEncoder().encode("{}"), 1)],
    ];
    for (const [what, headers, body] of cases) {
      const wire = headers["content-type"]!.startsWith("application/grpc-web") ? "grpc-web" : "grpc";
      const answer = await postHttp2(session, { rpc: COUNT, wire, headers, body, open: false });
      expect({ what, code: Code[answer.code] }).toEqual({ what, code: "InvalidArgument" });
    }
  });

  test.each(protocolPaths)("%s: an internal service refuses a call without the cluster secret before reading its body", async (path) => {
    const [what, garbage, headers] = malformedBodies(path)[0]!;
    const secret = { [CLUSTER_SECRET_HEADER]: FIXTURE_CLUSTER_SECRET };
    // Without the secret the body is never parsed: unauthenticated, not invalid_argument.
    expect(Code[(await send(path, COUNT_POINTS, garbage, headers)).code], what).toBe("Unauthenticated");
    // With it, the same body is parsed and refused for what it is.
    expect(Code[(await send(path, COUNT_POINTS, garbage, { ...headers, ...secret })).code], what).toBe("InvalidArgument");
    // Never read: a body that has not ended is refused all the same.
    expect(Code[(await send(path, COUNT_POINTS, garbage, headers, true)).code], `${what}, unfinished`).toBe("Unauthenticated");
    // Generated clients: a wrong secret is refused, the right one reaches the implementation.
    const client = listeners.internalClient(path);
    const wrong = await client.countPoints({ shard: { shardId: 7 } }, { headers: { [CLUSTER_SECRET_HEADER]: `${FIXTURE_CLUSTER_SECRET}!` } }).catch((e: unknown) => e);
    expect(Code[ConnectError.from(wrong).code]).toBe("Unauthenticated");
    expect((await client.countPoints({ shard: { shardId: 7 } }, { headers: secret })).count).toBe(7n);
  });
});
