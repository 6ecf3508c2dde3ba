import { describeControlLoopSuite } from "./control-loop-suite";
import { describePlacementRpcSuite } from "./placement-rpc-suite";

describePlacementRpcSuite("pglite");
describeControlLoopSuite("pglite");
