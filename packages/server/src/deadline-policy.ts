import { parseTimeout as parseGrpcTimeout } from "@connectrpc/connect/protocol-grpc";

/** How long the server lets a call run, whatever the client asks. */
export interface DeadlinePolicy {
  /** A larger client timeout is clamped to this (VECTRON_MAX_DEADLINE_MS). */
  maxMs: number;
  /** The deadline of a call that sets none (VECTRON_DEFAULT_DEADLINE_MS); at most maxMs. */
  defaultMs: number;
}

/**
 * The largest deadline the server grants: gRPC timeouts carry at most 8 digits, and a day
 * is already far beyond any sane unary call.
 */
export const LONGEST_DEADLINE_MS = 86_400_000;

/** The request headers of either listener (fetch `Headers` or node's header object), as the server rewrites them. */
export interface RequestHeaderAccess {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

const CONNECT_TIMEOUT = "connect-timeout-ms";
const GRPC_TIMEOUT = "grpc-timeout";
const CONNECT_TIMEOUT_VALUE = /^\d{1,10}$/;

/** Throws a TypeError naming the field when the policy cannot be served. */
export function checkDeadlinePolicy(policy: DeadlinePolicy): DeadlinePolicy {
  for (const [name, value] of Object.entries(policy)) {
    if (!Number.isInteger(value) || value < 1 || value > LONGEST_DEADLINE_MS) {
      throw new TypeError(`DeadlinePolicy.${name}: expected an integer between 1 and ${LONGEST_DEADLINE_MS} ms, got ${value}`);
    }
  }
  if (policy.defaultMs > policy.maxMs) {
    throw new TypeError(`DeadlinePolicy: defaultMs (${policy.defaultMs}) must not exceed maxMs (${policy.maxMs})`);
  }
  return policy;
}

/** The deadline the server grants a call whose client asked for `requestedMs` (undefined: none). */
export function grantedDeadlineMs(requestedMs: number | undefined, policy: DeadlinePolicy): number {
  return requestedMs === undefined ? policy.defaultMs : Math.min(requestedMs, policy.maxMs);
}

/**
 * Rewrites the timeout header of the request's protocol (`grpc-timeout` for gRPC and
 * gRPC-Web, `connect-timeout-ms` otherwise) to the deadline the server grants, before
 * either fast path or Connect's handlers read it: they all build the handler context,
 * whose signal aborts at the deadline, from that header. A malformed value is left
 * alone for the protocol handler to refuse with invalid_argument.
 */
export function grantDeadline(headers: RequestHeaderAccess, policy: DeadlinePolicy): void {
  if (/^application\/grpc/i.test(headers.get("content-type") ?? "")) {
    const asked = headers.get(GRPC_TIMEOUT);
    const parsed = parseGrpcTimeout(asked ?? null, Number.MAX_SAFE_INTEGER);
    if (parsed.error) return;
    // Whole milliseconds (a client may ask for microseconds or nanoseconds: rounded up, so
    // never to "no time at all" unless it asked for 0); the policy keeps the value within
    // gRPC's 8 digits.
    const granted = Math.ceil(grantedDeadlineMs(parsed.timeoutMs, policy));
    headers.set(GRPC_TIMEOUT, `${granted}m`);
    return;
  }
  const asked = headers.get(CONNECT_TIMEOUT);
  if (asked !== undefined && !CONNECT_TIMEOUT_VALUE.test(asked)) return;
  headers.set(CONNECT_TIMEOUT, String(grantedDeadlineMs(asked === undefined ? undefined : Number(asked), policy)));
}
