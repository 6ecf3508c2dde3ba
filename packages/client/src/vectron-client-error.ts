/**
 * The codes a call can fail with: the Connect codes in their wire spelling, which is
 * also how the server's documentation names them (`not_found`, `invalid_argument`...).
 */
export type VectronErrorCode =
  | "canceled"
  | "unknown"
  | "invalid_argument"
  | "deadline_exceeded"
  | "not_found"
  | "already_exists"
  | "permission_denied"
  | "resource_exhausted"
  | "failed_precondition"
  | "aborted"
  | "out_of_range"
  | "unimplemented"
  | "internal"
  | "unavailable"
  | "data_loss"
  | "unauthenticated";

/** What every VectronClientError is built from. */
export interface VectronClientErrorInit {
  code: VectronErrorCode;
  /** The server's message as it sent it (or the client's, for local failures). */
  serverMessage: string;
  /** The RPC that failed, e.g. "Search". */
  rpc: string;
  /** Response headers and trailers that came with the error. */
  metadata?: Headers;
  /** How many attempts were made (more than 1 when the call was retried). */
  attempts?: number;
  /** The underlying error (a ConnectError, a fetch TypeError...), for logs. */
  cause?: unknown;
}

/**
 * Every failed call of the client throws a VectronClientError: switch on `code`, or use
 * `instanceof` with the subclasses below (NotFoundError, InvalidArgumentError...).
 * Codes without a subclass (internal, unknown...) are plain VectronClientErrors.
 */
export class VectronClientError extends Error {
  /** Stable code to switch on. */
  readonly code: VectronErrorCode;
  /** The server's message without the code prefix, e.g. `topK: must be at most 1000`. */
  readonly serverMessage: string;
  /** The RPC that failed, e.g. "Search". */
  readonly rpc: string;
  /** Response headers and trailers that came with the error. */
  readonly metadata: Headers;
  /** How many attempts were made before giving up. */
  readonly attempts: number;

  constructor(init: VectronClientErrorInit) {
    super(`[${init.code}] ${init.rpc}: ${init.serverMessage}`, { cause: init.cause });
    this.name = "VectronClientError";
    this.code = init.code;
    this.serverMessage = init.serverMessage;
    this.rpc = init.rpc;
    this.metadata = init.metadata ?? new Headers();
    this.attempts = init.attempts ?? 1;
  }
}

/** `not_found`: an unknown collection (or one of another user), or an unknown API key. */
export class NotFoundError extends VectronClientError {
  override name = "NotFoundError";
}
/** `already_exists`: the collection name or the email is taken. */
export class AlreadyExistsError extends VectronClientError {
  override name = "AlreadyExistsError";
}
/** `invalid_argument`: bad input; the message names the field. */
export class InvalidArgumentError extends VectronClientError {
  override name = "InvalidArgumentError";
}
/** `unauthenticated`: no, bad, expired or revoked credential. */
export class UnauthenticatedError extends VectronClientError {
  override name = "UnauthenticatedError";
}
/** `permission_denied`: e.g. a write with a read-only API key. */
export class PermissionDeniedError extends VectronClientError {
  override name = "PermissionDeniedError";
}
/** `resource_exhausted`: a size limit or a quota. */
export class ResourceExhaustedError extends VectronClientError {
  override name = "ResourceExhaustedError";
}
/** `unavailable`: no live replica for a shard, a write quorum not reached, or the network failed. */
export class UnavailableError extends VectronClientError {
  override name = "UnavailableError";
}
/** `deadline_exceeded`: the call's timeoutMs ran out. */
export class DeadlineExceededError extends VectronClientError {
  override name = "DeadlineExceededError";
}
/** `canceled`: the caller's AbortSignal fired. */
export class CanceledError extends VectronClientError {
  override name = "CanceledError";
}

/** The subclass for each code that has one. */
export const errorClassByCode: Partial<Record<VectronErrorCode, typeof VectronClientError>> = {
  not_found: NotFoundError,
  already_exists: AlreadyExistsError,
  invalid_argument: InvalidArgumentError,
  unauthenticated: UnauthenticatedError,
  permission_denied: PermissionDeniedError,
  resource_exhausted: ResourceExhaustedError,
  unavailable: UnavailableError,
  deadline_exceeded: DeadlineExceededError,
  canceled: CanceledError,
};
