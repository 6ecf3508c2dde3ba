import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
import { AuthService } from "@vectron/proto/auth/v1";
import { VectronService } from "@vectron/proto/v1";

function bearer(token: string | undefined): Interceptor[] {
  if (!token) return [];
  return [
    (next) => (req) => {
      req.header.set("authorization", `Bearer ${token}`);
      return next(req);
    },
  ];
}

/** Generated-code clients over the Connect protocol (JSON or binary) or gRPC-Web, on fetch. */
export function connectClients(
  baseUrl: string,
  token?: string,
  protocol: "connect-json" | "connect-binary" | "grpc-web" = "connect-json",
): { vectron: Client<typeof VectronService>; auth: Client<typeof AuthService> } {
  const interceptors = bearer(token);
  const transport =
    protocol === "grpc-web"
      ? createGrpcWebTransport({ baseUrl, interceptors })
      : createConnectTransport({ baseUrl, interceptors, useBinaryFormat: protocol === "connect-binary" });
  return { vectron: createClient(VectronService, transport), auth: createClient(AuthService, transport) };
}
