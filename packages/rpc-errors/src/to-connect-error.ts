import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { VectronError, connectCodeOf } from "./vectron-error";

export type ErrorLogger = (message: string, cause: unknown) => void;

/**
 * Translates anything thrown by domain code into the ConnectError the client sees.
 * This is the one place where that happens: VectronError keeps its code and message,
 * a ConnectError passes through, and everything else becomes `internal` with a
 * generic message while the cause goes to the log only.
 */
export function toConnectError(err: unknown, log: ErrorLogger = defaultLog): ConnectError {
  if (err instanceof ConnectError) return err;
  if (err instanceof VectronError) return new ConnectError(err.message, connectCodeOf[err.code]);
  log("internal error", err);
  return new ConnectError("internal error", Code.Internal);
}

/** A server interceptor applying toConnectError to every unary call. */
export function createErrorInterceptor(log: ErrorLogger = defaultLog): Interceptor {
  return (next) => async (req) => {
    try {
      return await next(req);
    } catch (err) {
      throw toConnectError(err, log);
    }
  };
}

function defaultLog(message: string, cause: unknown): void {
  console.error(`[vectron] ${message}:`, cause);
}
