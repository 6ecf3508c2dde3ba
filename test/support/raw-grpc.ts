import http2 from "node:http2";

/** What a gRPC server answered to one raw request. */
export interface RawGrpcAnswer {
  httpStatus: number;
  /** grpc-status from the trailers (or headers, for a trailers-only answer); undefined if none came. */
  grpcStatus: number | undefined;
  grpcMessage: string;
  /** Everything received, header values, body and trailers, as text (for leak checks). */
  received: string;
}

/** A 5-byte gRPC envelope: flags, then the length of `message` (big-endian), then `message`. */
export function grpcEnvelope(message: Uint8Array, flags = 0, declaredLength = message.length): Uint8Array {
  const frame = new Uint8Array(5 + message.length);
  frame[0] = flags;
  new DataView(frame.buffer).setUint32(1, declaredLength >>> 0);
  frame.set(message, 5);
  return frame;
}

/** The fields of a gRPC-Web trailer frame (flags 0x80) in a response body, if there is one. */
function grpcWebTrailers(body: Buffer): http2.IncomingHttpHeaders {
  const fields: http2.IncomingHttpHeaders = {};
  for (let at = 0; at + 5 <= body.length; ) {
    const length = body.readUInt32BE(at + 1);
    if (body[at]! & 0x80) {
      for (const line of body.subarray(at + 5, at + 5 + length).toString("latin1").split("\r\n")) {
        const colon = line.indexOf(":");
        if (colon > 0) fields[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
    }
    at += 5 + length;
  }
  return fields;
}

/**
 * gRPC over cleartext HTTP/2 with node:http2 and nothing else, so the request can be
 * anything: arbitrary bytes for the body, any headers. One session, reopened when the
 * server closes it.
 */
export class RawGrpcChannel {
  private session: http2.ClientHttp2Session | undefined;

  constructor(private readonly address: string) {}

  call(path: string, body: Uint8Array, headers: Record<string, string>, timeoutMs = 30_000): Promise<RawGrpcAnswer> {
    const session = this.open();
    return new Promise((resolve, reject) => {
      const stream = session.request({ ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers", ...headers });
      const chunks: Buffer[] = [];
      let answer: RawGrpcAnswer = { httpStatus: 0, grpcStatus: undefined, grpcMessage: "", received: "" };
      const readStatus = (fields: http2.IncomingHttpHeaders) => {
        answer.received += JSON.stringify(fields);
        if (fields["grpc-status"] !== undefined) answer.grpcStatus = Number(fields["grpc-status"]);
        if (fields["grpc-message"] !== undefined) answer.grpcMessage = decodeURIComponent(String(fields["grpc-message"]));
      };
      const timer = setTimeout(() => {
        stream.close(http2.constants.NGHTTP2_CANCEL);
        reject(new Error(`no answer to ${path} within ${timeoutMs} ms`));
      }, timeoutMs);
      stream.on("response", (fields) => {
        answer.httpStatus = Number(fields[":status"]);
        readStatus(fields);
      });
      stream.on("trailers", readStatus);
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
      stream.on("close", () => {
        clearTimeout(timer);
        const body = Buffer.concat(chunks);
        answer.received += body.toString("latin1");
        // gRPC-Web (which the port also answers) puts the status in a trailer frame of the body.
        if (answer.grpcStatus === undefined) readStatus(grpcWebTrailers(body));
        resolve(answer);
      });
      stream.end(body);
    });
  }

  close(): void {
    this.session?.close();
    this.session = undefined;
  }

  private open(): http2.ClientHttp2Session {
    if (!this.session || this.session.closed || this.session.destroyed) {
      this.session = http2.connect(`http://${this.address}`);
      this.session.on("error", () => (this.session = undefined));
    }
    return this.session;
  }
}
