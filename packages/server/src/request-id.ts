import { randomBytes } from "node:crypto";

/** The header carrying a request's id, in a request (the client's own) and in every answer. */
export const REQUEST_ID_HEADER = "x-request-id";

/** What a client's id may look like to be kept: short, and nothing that could forge a log line. */
const SANE_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Random per process, so that ids stay unique across restarts and nodes. */
const processPrefix = randomBytes(6).toString("hex");
let sequence = 0;

/**
 * The id of a request: the client's `x-request-id` when it is sane (at most 64 of
 * A-Z a-z 0-9 . _ -), else a new one (`<process prefix>-<counter>`, no randomness per
 * request, so cheap on the hot path).
 */
export function requestIdOf(clientValue: string | null | undefined): string {
  if (clientValue && clientValue.length <= 64 && SANE_ID.test(clientValue)) return clientValue;
  return `${processPrefix}-${(++sequence).toString(36)}`;
}
