export { VectronError, invalidArgument, connectCodeOf, type ErrorCode } from "./vectron-error";
export { toConnectError, createErrorInterceptor, type ErrorLogger } from "./to-connect-error";
export { errorCodeOf } from "./error-code-of";
export { causesOf, hasOutOfSpaceCode } from "./out-of-space";
