import { Code, ConnectError } from "@connectrpc/connect";

/**
 * The request messages of a streaming call, as connect-es parses them while the
 * implementation reads them: a message it cannot read (a protobuf parse failure, a
 * broken envelope or compression) fails with `internal`/`unknown`, which is the client's
 * fault, so it becomes `invalid_argument` with the same message. The server's
 * answerUnreadableRequests does this for unary calls, whose requests are read before
 * any interceptor runs.
 */
export async function* readableStreamInput<T>(messages: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* messages;
  } catch (err) {
    const error = ConnectError.from(err);
    if (error.code !== Code.Internal && error.code !== Code.Unknown) throw error;
    const message = error.rawMessage ? `cannot decode request: ${error.rawMessage}` : "cannot decode request";
    throw new ConnectError(message, Code.InvalidArgument, undefined, undefined, error);
  }
}
