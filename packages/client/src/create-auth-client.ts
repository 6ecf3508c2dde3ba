import { createClient, type Transport } from "@connectrpc/connect";
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { AuthService, type APIKey, type User } from "@vectron/proto/auth/v1";
import type { ApiKeyInfo, AuthClient, UserInfo } from "./auth-client.js";
import type { RpcCaller } from "./rpc-caller.js";

/**
 * The account calls. Only reads are retried: registering, logging in or creating a key
 * twice is not the same as once.
 */
export function createAuthClient(transport: Transport, call: RpcCaller): AuthClient {
  const auth = createClient(AuthService, transport);
  return {
    async register(input, settings) {
      const response = await call("RegisterUser", "once", (o) => auth.registerUser(input, o), settings);
      return userInfoOf(response.user);
    },
    async login(input, settings) {
      const response = await call("Login", "once", (o) => auth.login(input, o), settings);
      return { token: response.token, expiresAt: dateOf(response.expiresAt), user: userInfoOf(response.user) };
    },
    async refreshToken(settings) {
      const response = await call("RefreshToken", "once", (o) => auth.refreshToken({}, o), settings);
      return { token: response.token, expiresAt: dateOf(response.expiresAt) };
    },
    async getProfile(settings) {
      const response = await call("GetUserProfile", "idempotent", (o) => auth.getUserProfile({}, o), settings);
      return userInfoOf(response.user);
    },
    async createApiKey(input, settings) {
      const response = await call("CreateAPIKey", "once", (o) => auth.createAPIKey(input, o), settings);
      return { key: response.key, apiKey: apiKeyInfoOf(response.apiKey) };
    },
    async listApiKeys(settings) {
      const response = await call("ListAPIKeys", "idempotent", (o) => auth.listAPIKeys({}, o), settings);
      return response.apiKeys.map(apiKeyInfoOf);
    },
    async deleteApiKey(id, settings) {
      await call("DeleteAPIKey", "once", (o) => auth.deleteAPIKey({ id }, o), settings);
    },
  };
}

function userInfoOf(user: User | undefined): UserInfo {
  return { id: user?.id ?? "", email: user?.email ?? "", plan: user?.plan ?? "", createdAt: dateOf(user?.createdAt) };
}

function apiKeyInfoOf(key: APIKey | undefined): ApiKeyInfo {
  return { id: key?.id ?? "", name: key?.name ?? "", prefix: key?.prefix ?? "", createdAt: dateOf(key?.createdAt), readOnly: key?.readOnly ?? false };
}

function dateOf(timestamp: Timestamp | undefined): Date | undefined {
  return timestamp ? timestampDate(timestamp) : undefined;
}
