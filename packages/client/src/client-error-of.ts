import { Code, ConnectError } from "@connectrpc/connect";
import { VectronClientError, errorClassByCode, type VectronErrorCode } from "./vectron-client-error.js";

const codeNames: Record<Code, VectronErrorCode> = {
  [Code.Canceled]: "canceled",
  [Code.Unknown]: "unknown",
  [Code.InvalidArgument]: "invalid_argument",
  [Code.DeadlineExceeded]: "deadline_exceeded",
  [Code.NotFound]: "not_found",
  [Code.AlreadyExists]: "already_exists",
  [Code.PermissionDenied]: "permission_denied",
  [Code.ResourceExhausted]: "resource_exhausted",
  [Code.FailedPrecondition]: "failed_precondition",
  [Code.Aborted]: "aborted",
  [Code.OutOfRange]: "out_of_range",
  [Code.Unimplemented]: "unimplemented",
  [Code.Internal]: "internal",
  [Code.Unavailable]: "unavailable",
  [Code.DataLoss]: "data_loss",
  [Code.Unauthenticated]: "unauthenticated",
};

/**
 * The one place where whatever a call threw (a ConnectError from the wire or from a
 * deadline, an abort) becomes the VectronClientError the caller sees, of the subclass
 * of its code. Errors that already are VectronClientErrors pass through.
 */
export function clientErrorOf(err: unknown, rpc: string, attempts = 1): VectronClientError {
  if (err instanceof VectronClientError) return err;
  const connect = ConnectError.from(err);
  const code = codeNames[connect.code] ?? "unknown";
  const ErrorClass = errorClassByCode[code] ?? VectronClientError;
  return new ErrorClass({
    code,
    serverMessage: connect.rawMessage,
    rpc,
    metadata: connect.metadata,
    attempts,
    cause: err,
  });
}
