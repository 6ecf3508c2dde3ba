export { registerRoutes, serviceRoute, type RpcRoutes, type ServiceRoute } from "./rpc-routes";
export { createConnectUnaryFastPath } from "./connect-unary-fast-path";
export { createGrpcUnaryFastPath } from "./grpc-unary-fast-path";
export { startHttpServer, type HttpServerOptions, type RunningServer } from "./http-server";
export { startGrpcServer, type GrpcServerOptions } from "./grpc-server";
export { createClusterSecretInterceptor } from "./internal-auth";
export { CLUSTER_SECRET_HEADER } from "@vectron/internal-client";
export { createHealthRoutes, type HealthSource } from "./health-routes";
