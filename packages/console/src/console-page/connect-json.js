// Calls to the node's public API with the Connect protocol's JSON encoding, over fetch
// on the page's own origin (so no CORS is involved).

export const AUTH_SERVICE = "vectron.auth.v1.AuthService";
export const VECTRON_SERVICE = "vectron.v1.VectronService";

/** A failed call, with the Connect error code ("not_found", "invalid_argument"...) and message. */
export class RpcError extends Error {
  constructor(code, message) {
    super(`${code}: ${message}`);
    this.code = code;
    this.rpcMessage = message;
  }
}

// The Connect protocol's mapping for an error answer without a Connect error body.
const CODE_OF_HTTP_STATUS = {
  400: "internal",
  401: "unauthenticated",
  403: "permission_denied",
  404: "unimplemented",
  429: "unavailable",
  502: "unavailable",
  503: "unavailable",
  504: "unavailable",
};

/**
 * Calls `service/method` with `request` (a plain object in Connect JSON form) and returns
 * the answer's JSON; throws an RpcError when the call fails. `token`: a session token or
 * an API key, sent as a bearer token.
 */
export async function callRpc(service, method, request, token) {
  const headers = { "content-type": "application/json", "connect-protocol-version": "1" };
  if (token) headers.authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(`/${service}/${method}`, {
      method: "POST",
      headers,
      body: JSON.stringify(request),
      credentials: "omit",
      cache: "no-store",
    });
  } catch (err) {
    throw new RpcError("unavailable", `the node did not answer (${err.message})`);
  }
  const text = await response.text();
  let body;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = undefined;
  }
  if (response.ok && body !== undefined) return body;
  const code = typeof body?.code === "string" ? body.code : CODE_OF_HTTP_STATUS[response.status] ?? "unknown";
  throw new RpcError(code, typeof body?.message === "string" ? body.message : `HTTP ${response.status}`);
}
