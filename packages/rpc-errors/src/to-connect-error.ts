import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { isOutOfSpace, outOfSpaceMessage } from "./out-of-space";
import { readableStreamInput } from "./unreadable-stream-input";
import { VectronError, connectCodeOf } from "./vectron-error";

export type ErrorLogger = (message: string, cause: unknown) => void;

/**
 * Translates anything thrown by domain code into the ConnectError the client sees.
 * This is the one place where that happens: VectronError keeps its code, message and
 * metadata, a ConnectError passes through, and everything else becomes `internal` with
 * a generic message while the cause goes to the log only.
 */
export function toConnectError(err: unknown, log: ErrorLogger = defaultLog): ConnectError {
  if (err instanceof ConnectError) return err;
  if (err instanceof VectronError) return new ConnectError(err.message, connectCodeOf[err.code], err.metadata);
  // Storage out of space (Postgres/PGlite, SQLite, the file system): the client is told.
  if (isOutOfSpace(err)) {
    log("disk full", err);
    return new ConnectError(outOfSpaceMessage, Code.ResourceExhausted);
  }
  log("internal error", err);
  return new ConnectError("internal error", Code.Internal);
}

/**
 * A server interceptor applying toConnectError to every call: to what a unary call
 * throws, and to what a streaming response throws while it is read. A streaming
 * request that cannot be read is `invalid_argument` (see readableStreamInput).
 */
export function createErrorInterceptor(log: ErrorLogger = defaultLog): Interceptor {
  return (next) => async (req) => {
    try {
      const res = await next(req.stream ? { ...req, message: readableStreamInput(req.message) } : req);
      return res.stream ? { ...res, message: translatingErrors(res.message, log) } : res;
    } catch (err) {
      throw toConnectError(err, log);
    }
  };
}

async function* translatingErrors<T>(messages: AsyncIterable<T>, log: ErrorLogger): AsyncGenerator<T> {
  try {
    yield* messages;
  } catch (err) {
    throw toConnectError(err, log);
  }
}

function defaultLog(message: string, cause: unknown): void {
  console.error(`[vectron] ${message}:`, cause);
}
