import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { AuthService } from "@vectron/proto/auth/v1";
import type { Auth } from "./create-auth";
import { toApiKeyMessage, toUserMessage } from "./messages";

export interface AuthServiceOptions {
  /**
   * The client's IP address for a call, for throttling logins and registrations per
   * network. It must come from the transport (the server's own record of the peer),
   * never from anything the client can set; undefined when unknown. Default: unknown.
   */
  clientAddressOf?: (ctx: HandlerContext) => string | undefined;
}

/**
 * The AuthService handlers. Session calls read `Authorization: Bearer <session jwt>`.
 * They throw VectronErrors: mount them behind createErrorInterceptor from
 * @vectron/rpc-errors, which turns those into Connect codes.
 */
export function createAuthServiceImpl(auth: Auth, options: AuthServiceOptions = {}): ServiceImpl<typeof AuthService> {
  const clientOf = (ctx: HandlerContext) => ({ address: options.clientAddressOf?.(ctx) || undefined });
  const sessionUserId = async (ctx: HandlerContext) =>
    (await auth.authenticate(ctx.requestHeader.get("authorization"), "session")).userId;

  return {
    async registerUser(req, ctx) {
      return { user: toUserMessage(await auth.register(req.email, req.password, clientOf(ctx))) };
    },
    async login(req, ctx) {
      const session = await auth.login(req.email, req.password, clientOf(ctx));
      return { token: session.token, expiresAt: timestampFromDate(session.expiresAt), user: toUserMessage(session.user) };
    },
    async refreshToken(_req, ctx) {
      const { token, expiresAt } = await auth.refreshSession(ctx.requestHeader.get("authorization"));
      return { token, expiresAt: timestampFromDate(expiresAt) };
    },
    async getUserProfile(_req, ctx) {
      return { user: toUserMessage(await auth.getUser(await sessionUserId(ctx))) };
    },
    async createAPIKey(req, ctx) {
      const { key, apiKey } = await auth.createApiKey(await sessionUserId(ctx), req.name, { readOnly: req.readOnly });
      return { key, apiKey: toApiKeyMessage(apiKey) };
    },
    async listAPIKeys(_req, ctx) {
      const keys = await auth.listApiKeys(await sessionUserId(ctx));
      return { apiKeys: keys.map(toApiKeyMessage) };
    },
    async deleteAPIKey(req, ctx) {
      await auth.deleteApiKey(await sessionUserId(ctx), req.id);
      return {};
    },
  };
}
