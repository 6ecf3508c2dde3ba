import { Code, ConnectError } from "@connectrpc/connect";
import { VectronError, connectCodeOf } from "./vectron-error";

/**
 * The Connect code an error carries, however the call was made: a ConnectError from
 * another node, or the VectronError an in-process handler threw (local-client). Undefined
 * for any other error (a bug, a driver error).
 */
export function errorCodeOf(err: unknown): Code | undefined {
  if (err instanceof ConnectError) return err.code;
  if (err instanceof VectronError) return connectCodeOf[err.code];
  return undefined;
}
