import type { Interceptor, Transport } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import type { Credentials, ResolvedClientOptions } from "./client-options.js";
import { networkFailureFetch } from "./network-failure-fetch.js";

/**
 * The Connect transport of a client: fetch-based (Node.js 18+, Bun, Deno, browsers),
 * binary or JSON, with the credential as a bearer token on every request. Deadlines are
 * set per call by the RPC caller, so the transport has none of its own.
 */
export function createVectronTransport(options: ResolvedClientOptions): Transport {
  return createConnectTransport({
    baseUrl: options.baseUrl,
    useBinaryFormat: options.format === "binary",
    interceptors: [bearerInterceptor(options.credentials)],
    // The cast only drops extras some runtimes declare on their fetch (Bun: preconnect).
    fetch: networkFailureFetch(options.fetch) as typeof globalThis.fetch,
  });
}

function bearerInterceptor(credentials: Credentials): Interceptor {
  return (next) => async (req) => {
    const secret = credentials.apiKey ?? (typeof credentials.token === "function" ? await credentials.token() : credentials.token);
    if (secret) req.header.set("authorization", `Bearer ${secret}`);
    return await next(req);
  };
}
