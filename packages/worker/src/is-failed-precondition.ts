import { Code, ConnectError } from "@connectrpc/connect";
import { VectronError } from "@vectron/rpc-errors";

/**
 * True when a call to another worker failed with FAILED_PRECONDITION: over the network
 * that is a ConnectError, through an in-process client (local-client) the VectronError
 * the handler threw.
 */
export function isFailedPrecondition(err: unknown): boolean {
  if (err instanceof VectronError) return err.code === "failed_precondition";
  return err instanceof ConnectError && err.code === Code.FailedPrecondition;
}
