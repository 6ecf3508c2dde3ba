import { describeControlLoopSuite } from "./control-loop-suite";
import { describePlacementRpcSuite } from "./placement-rpc-suite";

// Needs the Postgres at 127.0.0.1:5432; when it is down these suites fail, they never skip.
describePlacementRpcSuite("postgres");
describeControlLoopSuite("postgres");
