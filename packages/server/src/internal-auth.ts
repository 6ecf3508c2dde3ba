import { Code, ConnectError } from "@connectrpc/connect";
import { CLUSTER_SECRET_HEADER } from "@vectron/internal-client";
import type { RequestGate } from "./rpc-routes";
import { secretMatch } from "./secret-match";

/**
 * Guards the internal services (placement, worker): only callers presenting the cluster
 * secret get through, so no user credential (API key or session) can ever reach them. A
 * request gate, so a call without the secret is refused before its body is read: nobody
 * else can make a node decompress or decode an internal message. The comparison takes
 * the same time whatever is presented (secretMatch).
 */
export function createClusterSecretGate(secret: string): RequestGate {
  if (secret.length < 32) throw new TypeError("createClusterSecretGate: the secret must be at least 32 characters");
  const matches = secretMatch(secret);
  return (context) => {
    if (!matches(context.requestHeader.get(CLUSTER_SECRET_HEADER))) {
      throw new ConnectError("internal service: missing or wrong cluster secret", Code.Unauthenticated);
    }
  };
}
