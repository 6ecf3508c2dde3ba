export { createVectronService } from "./vectron-service";
export type { Authenticate, Caller } from "./call-admission";
export type { ApiDeps } from "./api-deps";
export { CollectionCache, type PlacementClient } from "./collection-cache";
export { WorkerDirectory, type WorkerClient, type WorkerRef } from "./worker-directory";
export { defaultLimits, type Limits } from "./limits";
export { shardOf } from "./shard-of";
