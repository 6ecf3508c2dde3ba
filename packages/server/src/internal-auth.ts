import { timingSafeEqual, createHash } from "node:crypto";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { CLUSTER_SECRET_HEADER } from "@vectron/internal-client";

/**
 * Guards the internal services (placement, worker): only callers presenting the cluster
 * secret get through, so no user credential (API key or session) can ever reach them.
 * Digests are compared so the comparison takes the same time whatever the input length.
 */
export function createClusterSecretInterceptor(secret: string): Interceptor {
  if (secret.length < 32) throw new TypeError("createClusterSecretInterceptor: the secret must be at least 32 characters");
  const expected = digest(secret);
  return (next) => async (req) => {
    const presented = req.header.get(CLUSTER_SECRET_HEADER);
    if (!presented || !timingSafeEqual(digest(presented), expected)) {
      throw new ConnectError("internal service: missing or wrong cluster secret", Code.Unauthenticated);
    }
    return next(req);
  };
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
