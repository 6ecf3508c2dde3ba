import { Code } from "@connectrpc/connect";

/** The stable codes domain code throws with; each maps to exactly one Connect code. */
export type ErrorCode =
  | "invalid_argument"
  | "not_found"
  | "already_exists"
  | "unauthenticated"
  | "permission_denied"
  | "resource_exhausted"
  | "failed_precondition"
  | "unavailable"
  | "unimplemented";

export const connectCodeOf: Record<ErrorCode, Code> = {
  invalid_argument: Code.InvalidArgument,
  not_found: Code.NotFound,
  already_exists: Code.AlreadyExists,
  unauthenticated: Code.Unauthenticated,
  permission_denied: Code.PermissionDenied,
  resource_exhausted: Code.ResourceExhausted,
  failed_precondition: Code.FailedPrecondition,
  unavailable: Code.Unavailable,
  unimplemented: Code.Unimplemented,
};

/**
 * An error meant for the client: its message is sent as is, so it must name the field
 * or the thing at fault and never carry internals. Anything else thrown becomes
 * `internal` with a generic message (see toConnectError).
 */
export class VectronError extends Error {
  override readonly name = "VectronError";
  /**
   * Headers (Connect, gRPC-Web) or trailers (gRPC) sent with the error, e.g.
   * `retry-after-ms` on a rate-limited call. Never secrets: the client sees them.
   */
  readonly metadata?: Readonly<Record<string, string>>;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; metadata?: Record<string, string> },
  ) {
    super(message, options);
    if (options?.metadata) this.metadata = options.metadata;
  }
}

/** Shorthand for the most common client error: a field that is missing or wrong. */
export function invalidArgument(field: string, problem: string): VectronError {
  return new VectronError("invalid_argument", `${field}: ${problem}`);
}
