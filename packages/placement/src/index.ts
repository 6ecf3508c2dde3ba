export { createPlacementService } from "./placement-service";
export type { PlacementDeps } from "./placement-deps";
