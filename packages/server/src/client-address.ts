/**
 * The request header holding the caller's IP address as this server saw the connection
 * (login throttling keys on it). The listeners set it on every request before any
 * handler runs; a value the client sent is replaced, never trusted.
 */
export const CLIENT_ADDRESS_HEADER = "x-vectron-client-address";

/** What the header holds when the platform gives no peer address (e.g. a Unix socket). */
const UNKNOWN_ADDRESS = "unknown";

/**
 * The peer address as handlers see it. An IPv4 client of a dual-stack listener arrives
 * as `::ffff:10.0.0.7`; the prefix is dropped so one client has one address on both
 * ports, whichever way each is bound.
 */
export function clientAddressOf(remoteAddress: string | null | undefined): string {
  if (!remoteAddress) return UNKNOWN_ADDRESS;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remoteAddress);
  return mapped ? mapped[1]! : remoteAddress;
}
