import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { APIKeySchema, UserSchema, type APIKey, type User } from "@vectron/proto/auth/v1";
import type { ApiKeyRow, UserRow } from "./rows";

/** The only place a user row becomes a message. */
export function toUserMessage(user: UserRow): User {
  return create(UserSchema, {
    id: user.id,
    email: user.email,
    plan: user.plan,
    createdAt: timestampFromDate(user.createdAt),
  });
}

/** The only place an API key row becomes a message; it has no secret to leak. */
export function toApiKeyMessage(apiKey: ApiKeyRow): APIKey {
  return create(APIKeySchema, {
    id: apiKey.id,
    name: apiKey.name,
    prefix: apiKey.prefix,
    readOnly: apiKey.readOnly,
    createdAt: timestampFromDate(apiKey.createdAt),
  });
}
