import { invalidArgument } from "@vectron/rpc-errors";

/*
 * Limits on what users send to the auth use cases. Every violation is invalid_argument
 * with a message that starts with the field's name.
 */

/** RFC 5321 caps a forward path at 256 octets, of which 254 are the address. */
export const MAX_EMAIL_LENGTH = 254;
export const MIN_PASSWORD_BYTES = 8;
/** bcrypt ignores everything after 72 bytes, so longer passwords are refused, not truncated. */
export const MAX_PASSWORD_BYTES = 72;
export const MAX_KEY_NAME_LENGTH = 100;

/** One @, no spaces and no control characters (NUL cannot even be stored in Postgres text). */
const EMAIL_PATTERN = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+$/u;
const CONTROL_CHARACTER = /\p{Cc}/u;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The email as stored: trimmed and lowercased, after checking it looks like one address. */
export function normalizeEmail(email: string): string {
  const normalized = email.trim().toLowerCase();
  if (normalized === "") throw invalidArgument("email", "required");
  if (normalized.length > MAX_EMAIL_LENGTH) throw invalidArgument("email", `at most ${MAX_EMAIL_LENGTH} characters`);
  if (!EMAIL_PATTERN.test(normalized)) throw invalidArgument("email", "not an email address");
  return normalized;
}

/** Checks a new password's length in UTF-8 bytes, which is what bcrypt sees. */
export function checkNewPassword(password: string): void {
  if (password === "") throw invalidArgument("password", "required");
  // Some bcrypt implementations stop at a NUL byte; refusing it keeps hashes portable.
  if (password.includes("\0")) throw invalidArgument("password", "must not contain a NUL character");
  const bytes = passwordBytes(password);
  if (bytes < MIN_PASSWORD_BYTES || bytes > MAX_PASSWORD_BYTES) {
    throw invalidArgument("password", `must be ${MIN_PASSWORD_BYTES} to ${MAX_PASSWORD_BYTES} bytes long`);
  }
}

export function passwordBytes(password: string): number {
  return Buffer.byteLength(password, "utf8");
}

/** A key name as stored: trimmed, 1 to 100 characters. */
export function normalizeKeyName(name: string): string {
  const trimmed = name.trim();
  const length = [...trimmed].length; // code points, not UTF-16 units
  if (length === 0) throw invalidArgument("name", "required");
  if (CONTROL_CHARACTER.test(trimmed)) throw invalidArgument("name", "must not contain control characters");
  if (length > MAX_KEY_NAME_LENGTH) throw invalidArgument("name", `at most ${MAX_KEY_NAME_LENGTH} characters`);
  return trimmed;
}

export function requireField(value: string, field: string): string {
  if (value === "") throw invalidArgument(field, "required");
  return value;
}

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
