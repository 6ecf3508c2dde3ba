export { createAuth, type Auth, type AuthOptions } from "./create-auth";
export { createAuthServiceImpl } from "./service-impl";
export { toApiKeyMessage, toUserMessage } from "./messages";
export type { AcceptedCredentials, Principal } from "./authenticate";
export type { KeyGrant, Plan } from "./key-grant";
export type { Session } from "./login";
export type { ApiKeyRow, UserRow } from "./rows";
export { API_KEY_LENGTH } from "./api-key-format";
