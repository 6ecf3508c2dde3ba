import { fromBinary, type DescMessage } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { codeFromString, codeToHttpStatus } from "@connectrpc/connect/protocol-connect";

/**
 * The codes a request may get for what it sent: bad input, missing or foreign things,
 * credentials, limits, a protocol feature the server does not offer (e.g. an unknown
 * compression, for which gRPC prescribes `unimplemented`). Anything else for a request to a healthy node — `internal`,
 * `unknown`, `unavailable`, `data_loss`... — means the server failed on its input.
 */
export const INPUT_ERROR_CODES: ReadonlySet<Code> = new Set([
  Code.InvalidArgument,
  Code.NotFound,
  Code.AlreadyExists,
  Code.Unauthenticated,
  Code.PermissionDenied,
  Code.ResourceExhausted,
  Code.OutOfRange,
  Code.Unimplemented,
]);

/** One Connect unary answer as received. */
export interface ConnectAnswer {
  status: number;
  contentType: string;
  body: Uint8Array;
}

/**
 * What is wrong with a Connect unary answer, or undefined: a success must be the method's
 * output message in the request's encoding; an error must be Connect's JSON error body
 * with an input error code and the HTTP status Connect maps that code to.
 */
export function connectAnswerProblem(answer: ConnectAnswer, output: DescMessage, binary: boolean): string | undefined {
  const text = new TextDecoder().decode(answer.body);
  if (answer.status === 200) {
    const expectedType = binary ? "application/proto" : "application/json";
    if (answer.contentType !== expectedType) return `200 with content-type ${answer.contentType}`;
    try {
      if (binary) fromBinary(output, answer.body);
      else JSON.parse(text);
    } catch (err) {
      return `200 with a body that does not decode as ${output.typeName}: ${err}`;
    }
    return undefined;
  }
  if (!answer.contentType.startsWith("application/json")) return `HTTP ${answer.status} (${answer.contentType}) is not a Connect error: ${text.slice(0, 200)}`;
  let error: { code?: unknown; message?: unknown };
  try {
    error = JSON.parse(text);
  } catch {
    return `HTTP ${answer.status} with a body that is not JSON: ${text.slice(0, 200)}`;
  }
  const code = typeof error.code === "string" ? codeFromString(error.code) : undefined;
  if (code === undefined) return `HTTP ${answer.status} without a Connect code: ${text.slice(0, 200)}`;
  if (!INPUT_ERROR_CODES.has(code)) return `answered ${error.code} (HTTP ${answer.status}): ${text.slice(0, 300)}`;
  if (codeToHttpStatus(code) !== answer.status) return `${error.code} with HTTP ${answer.status}, not ${codeToHttpStatus(code)}`;
  if (error.message !== undefined && typeof error.message !== "string") return `error message is not a string: ${text.slice(0, 200)}`;
  return undefined;
}

/**
 * What is wrong with a gRPC status for a request to a healthy node, or undefined. A
 * request that set its own deadline (grpc-timeout) may also get `deadline_exceeded`.
 */
export function grpcStatusProblem(status: number, message: string, options: { ownDeadline?: boolean } = {}): string | undefined {
  if (status === 0 || INPUT_ERROR_CODES.has(status as Code)) return undefined;
  if (options.ownDeadline && status === Code.DeadlineExceeded) return undefined;
  return `grpc-status ${status} (${Code[status] ?? "?"}): ${message.slice(0, 300)}`;
}
