export { distanceFromName, distanceName, payloadIndexKindFromName, payloadIndexKindName, type DistanceName, type PayloadIndexKindName } from "./enum-names";
