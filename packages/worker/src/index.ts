export { createWorkerNode, type WorkerNode, type WorkerNodeOptions } from "./worker-node";
export { createWorkerService, type WorkerApi } from "./worker-service";
export { metricOf } from "./metric";
