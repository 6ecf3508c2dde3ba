import type { CallSettings } from "./rpc-caller.js";

/** An account. */
export interface UserInfo {
  id: string;
  email: string;
  plan: string;
  createdAt: Date | undefined;
}

/** A session from login: send `token` as the credential (`withCredentials({ token })`). */
export interface Session {
  token: string;
  expiresAt: Date | undefined;
  user: UserInfo;
}

/** An API key as listed: never the secret itself. */
export interface ApiKeyInfo {
  /** Public key id (what deleteApiKey takes). */
  id: string;
  name: string;
  /** The first characters of the key, enough to recognise it. */
  prefix: string;
  createdAt: Date | undefined;
  /** A read-only key may read and search, never write or delete. */
  readOnly: boolean;
}

/** Accounts, sessions and API keys (vectron.auth.v1.AuthService). */
export interface AuthClient {
  /** Creates an account (password: 8–72 bytes); log in to use it. */
  register(input: { email: string; password: string }, settings?: CallSettings): Promise<UserInfo>;
  /** Exchanges email and password for a session token (valid 1 h). */
  login(input: { email: string; password: string }, settings?: CallSettings): Promise<Session>;
  /** (session) A fresh token while the current one is still valid, until 24 h after the Login (then log in again). */
  refreshToken(settings?: CallSettings): Promise<{ token: string; expiresAt: Date | undefined }>;
  /** (session) The caller's account. */
  getProfile(settings?: CallSettings): Promise<UserInfo>;
  /** (session) Creates an API key; `key` is the secret, shown this once. At most 100 per user. */
  createApiKey(input: { name: string; readOnly?: boolean }, settings?: CallSettings): Promise<{ key: string; apiKey: ApiKeyInfo }>;
  /** (session) The caller's API keys, without secrets. */
  listApiKeys(settings?: CallSettings): Promise<ApiKeyInfo[]>;
  /** (session) Revokes an API key by id; it stops working at once. */
  deleteApiKey(id: string, settings?: CallSettings): Promise<void>;
}
