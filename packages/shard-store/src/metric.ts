import { MetricKind } from "usearch";
import type { Metric } from "./types";

/** The usearch metric computing each of our metrics. */
export const usearchMetricOf: Record<Metric, MetricKind> = {
  cosine: MetricKind.Cos,
  dot: MetricKind.IP,
  euclidean: MetricKind.L2sq,
};

/**
 * Turns a usearch distance into the score clients see. usearch ranks by ascending
 * distance for every metric, and each mapping here is monotonic in the right direction,
 * so usearch's order is already best first:
 * - `cos` distance is 1 − cosine similarity, `ip` distance is 1 − dot product: undo it;
 * - `l2sq` is the squared distance: take the root (clamped, as rounding can dip below 0).
 */
export function scoreOf(metric: Metric, distance: number): number {
  switch (metric) {
    case "cosine":
    case "dot":
      return 1 - distance;
    case "euclidean":
      return Math.sqrt(Math.max(0, distance));
  }
}

/** True for the metric names this package knows (guards values from untyped callers). */
export function isMetric(value: unknown): value is Metric {
  return value === "cosine" || value === "dot" || value === "euclidean";
}
