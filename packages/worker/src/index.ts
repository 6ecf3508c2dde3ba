export { startWorkerNode, type WorkerNode, type WorkerNodeOptions } from "./worker-node";
export { createWorkerService, type WorkerApi } from "./worker-service";
export { ShardHost, type ShardHostOptions } from "./shard-host";
export { ShardThreadPool, type ShardThreadPoolOptions } from "./shard-thread-pool";
export type { ShardOps } from "./shard-ops";
export { ReplicationEngine, type ReplicationEngineOptions } from "./replication-engine";
export { WorkerMembership, type WorkerMembershipOptions } from "./worker-membership";
export { readShardGauges, indexBytesEstimate, type ShardGauge } from "./shard-gauges";
