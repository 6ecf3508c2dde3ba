import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

const protoRoot = join(import.meta.dir, "..", "..", "proto");

/**
 * Stock @grpc/grpc-js clients built from our .proto files at run time (no generated
 * code), as any gRPC user in another language would do. With `tls` they speak gRPC over
 * TLS, trusting `tls.ca` (PEM) or else the system's CAs.
 */
export function grpcClients(address: string, options: { gzip?: boolean; tls?: { ca?: string } } = {}) {
  const definition = protoLoader.loadSync(
    ["vectron/v1/vectron.proto", "vectron/auth/v1/auth.proto", "vectron/worker/v1/worker.proto"],
    { includeDirs: [protoRoot], keepCase: false, longs: String, enums: String, defaults: true, oneofs: true },
  );
  const loaded = grpc.loadPackageDefinition(definition) as any;
  const credentials = options.tls
    ? grpc.credentials.createSsl(options.tls.ca === undefined ? null : Buffer.from(options.tls.ca))
    : grpc.credentials.createInsecure();
  // 2 = gzip: every request message is compressed (and marked so with grpc-encoding).
  const channel = options.gzip ? { "grpc.default_compression_algorithm": 2 } : {};
  const vectron = new loaded.vectron.v1.VectronService(address, credentials, channel);
  const auth = new loaded.vectron.auth.v1.AuthService(address, credentials, channel);
  const worker = new loaded.vectron.worker.v1.WorkerService(address, credentials, channel);
  return {
    vectron,
    auth,
    worker,
    close() {
      vectron.close();
      auth.close();
      worker.close();
    },
  };
}

/** Calls a unary method of a grpc-js client as a promise, with optional metadata. */
export function grpcCall<T = any>(client: any, method: string, request: unknown, metadata: Record<string, string> = {}): Promise<T> {
  const md = new grpc.Metadata();
  for (const [key, value] of Object.entries(metadata)) md.set(key, value);
  return new Promise((resolve, reject) => {
    client[method](request, md, { deadline: Date.now() + 60_000 }, (err: grpc.ServiceError | null, reply: T) =>
      err ? reject(err) : resolve(reply),
    );
  });
}

export const grpcStatus = grpc.status;
