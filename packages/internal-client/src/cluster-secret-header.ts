/** The header internal callers (nodes of one cluster) put their shared secret in. */
export const CLUSTER_SECRET_HEADER = "x-vectron-cluster-secret";
