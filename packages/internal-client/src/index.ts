export { CLUSTER_SECRET_HEADER } from "./cluster-secret-header";
export { createInternalClient, type InternalClientOptions } from "./internal-client";
export { createFailoverTransport } from "./failover-transport";
export { isUnreachable } from "./unreachable";
