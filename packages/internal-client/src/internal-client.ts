import type { DescService } from "@bufbuild/protobuf";
import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { CLUSTER_SECRET_HEADER } from "./cluster-secret-header";
import { createFailoverTransport } from "./failover-transport";

export interface InternalClientOptions {
  /** Base URLs of the nodes serving the service (HTTP port), tried in order on failure. */
  baseUrls: string[];
  /** The cluster's shared secret (VECTRON_CLUSTER_SECRET). */
  clusterSecret: string;
  /** Deadline of every call unless the call sets its own. Default 10 s. */
  timeoutMs?: number;
  /**
   * PEM of the CA the nodes' certificates are signed by (VECTRON_TLS_CA): https base URLs
   * are verified against it alone. Absent: the system's trusted CAs.
   */
  trustedCa?: string;
}

/**
 * A client of an internal service (placement, worker) on other nodes: Connect's binary
 * protocol over HTTP/1.1 keep-alive (the fastest transport measured here, see
 * bench/README.md), over TLS for https base URLs, with the cluster secret on every call.
 */
export function createInternalClient<S extends DescService>(service: S, options: InternalClientOptions): Client<S> {
  if (options.clusterSecret.length < 32) throw new TypeError("createInternalClient: the cluster secret must be at least 32 characters");
  const secret: Interceptor = (next) => (req) => {
    req.header.set(CLUSTER_SECRET_HEADER, options.clusterSecret);
    return next(req);
  };
  const fetch = options.trustedCa === undefined ? undefined : fetchTrusting(options.trustedCa);
  const transports = options.baseUrls.map((baseUrl) =>
    createConnectTransport({
      baseUrl: checkBaseUrl(baseUrl),
      useBinaryFormat: true,
      interceptors: [secret],
      defaultTimeoutMs: options.timeoutMs ?? 10_000,
      fetch,
    }),
  );
  return createClient(service, createFailoverTransport(transports));
}

function checkBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`createInternalClient: ${baseUrl} is not an http(s) URL`);
  }
  return baseUrl.replace(/\/+$/, "");
}

/** Bun's fetch verifying https servers against `ca` only (Bun replaces the default CAs when given some). */
function fetchTrusting(ca: string): typeof globalThis.fetch {
  if (!ca.includes("-----BEGIN CERTIFICATE-----")) throw new TypeError("createInternalClient: trustedCa must be PEM text holding a CERTIFICATE");
  const trusting = (input: string | URL | Request, init?: RequestInit) => fetch(input, { ...init, tls: { ca } });
  return Object.assign(trusting, { preconnect: fetch.preconnect });
}
