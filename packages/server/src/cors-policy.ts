/**
 * Cross-origin access for browser apps calling the public port (Connect and gRPC-Web
 * over fetch). Off unless origins are configured: with no allowed origin, preflights
 * are not answered and responses carry no Access-Control headers, so browsers keep
 * other sites' pages out. Credentials are bearer tokens a page sends explicitly, never
 * cookies, so `Access-Control-Allow-Credentials` is never sent.
 */
export interface CorsPolicy {
  /** The answer to a preflight (OPTIONS with Origin) from an allowed origin; else undefined. */
  preflight(request: Request): Response | undefined;
  /** Adds the Access-Control headers to the response of an allowed origin's request. */
  decorate(request: Request, response: Response): Response;
}

/** What Connect and gRPC-Web clients send (connect-es's cors helper lists the same). */
const ALLOWED_HEADERS = [
  "authorization",
  "content-type",
  "connect-protocol-version",
  "connect-timeout-ms",
  "connect-accept-encoding",
  "connect-content-encoding",
  "content-encoding",
  "accept-encoding",
  "grpc-timeout",
  "x-grpc-web",
  "x-user-agent",
].join(", ");

/** What a client must be able to read: Connect/gRPC-Web status, and the rate limit's retry hint. */
const EXPOSED_HEADERS = [
  "grpc-status",
  "grpc-message",
  "grpc-status-details-bin",
  "content-encoding",
  "connect-content-encoding",
  "retry-after",
  "retry-after-ms",
].join(", ");

const PREFLIGHT_MAX_AGE_SECONDS = "7200";

/** `origins`: exact origins such as "https://app.example.com", or ["*"] for any; [] for none. */
export function createCorsPolicy(origins: readonly string[]): CorsPolicy {
  const any = origins.includes("*");
  const allowed = new Set(origins);
  const allowedOrigin = (request: Request): string | undefined => {
    const origin = request.headers.get("origin");
    if (!origin) return undefined;
    return any || allowed.has(origin) ? origin : undefined;
  };
  return {
    preflight(request) {
      if (request.method !== "OPTIONS") return undefined;
      const origin = allowedOrigin(request);
      if (!origin) return undefined;
      return new Response(null, {
        status: 204,
        headers: {
          "access-control-allow-origin": origin,
          "access-control-allow-methods": "POST, GET",
          "access-control-allow-headers": ALLOWED_HEADERS,
          "access-control-max-age": PREFLIGHT_MAX_AGE_SECONDS,
          vary: "Origin",
        },
      });
    },
    decorate(request, response) {
      const origin = allowedOrigin(request);
      if (!origin) return response;
      response.headers.set("access-control-allow-origin", origin);
      response.headers.set("access-control-expose-headers", EXPOSED_HEADERS);
      response.headers.append("vary", "Origin");
      return response;
    },
  };
}
