export { createLocalClient, type ContextFreeImpl } from "./local-client";
