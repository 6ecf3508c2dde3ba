import { Code, ConnectError } from "@connectrpc/connect";

/** Error codes of a connection that could not be made or was cut (Bun's fetch and Node's). */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ConnectionRefused",
  "ConnectionClosed",
  "FailedToOpenSocket",
  "UND_ERR_SOCKET",
]);

/**
 * True when a call failed because the node could not be reached or did not answer in
 * time, as opposed to an answer from it: the caller may try another node or wait for
 * the shard map to change. connect-web reports a refused connection as `unknown` with
 * the fetch error as cause.
 */
export function isUnreachable(err: unknown): boolean {
  if (!(err instanceof ConnectError)) return false;
  if (err.code === Code.DeadlineExceeded) return true;
  if (err.code !== Code.Unknown && err.code !== Code.Unavailable && err.code !== Code.Canceled) return false;
  const cause = err.cause as { code?: unknown; name?: unknown } | undefined;
  const code = typeof cause?.code === "string" ? cause.code : "";
  return NETWORK_CODES.has(code) || /ECONNREFUSED|ECONNRESET|socket connection was closed|Unable to connect/i.test(err.rawMessage);
}
