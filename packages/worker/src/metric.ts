import { Distance } from "@vectron/proto/v1";
import type { Metric } from "@vectron/shard-store";
import { invalidArgument } from "@vectron/rpc-errors";

/** The shard store's metric for a public Distance. */
export function metricOf(distance: Distance): Metric {
  switch (distance) {
    case Distance.COSINE:
      return "cosine";
    case Distance.EUCLIDEAN:
      return "euclidean";
    case Distance.DOT:
      return "dot";
    default:
      throw invalidArgument("distance", "must be DISTANCE_COSINE, DISTANCE_EUCLIDEAN or DISTANCE_DOT");
  }
}
