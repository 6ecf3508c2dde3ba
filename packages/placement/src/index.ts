export { createPlacementService } from "./placement-service";
export type { LeadershipView, PlacementDeps, PlacementLog, WorkerClientFactory } from "./placement-deps";
export {
  startPlacementLeadership,
  type PlacementLeadership,
  type PlacementLeadershipOptions,
} from "./placement-leadership";
export { createControlLoop, DEFAULT_REPLACE_AFTER_MS, type ControlLoop, type ControlLoopOptions, type TickReport } from "./control-loop";
export { readPlacementGauges, type PlacementGauges } from "./placement-gauges";
