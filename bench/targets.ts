import { protocols, type Protocol } from "./api-clients";
import { formatNumber } from "./number-format";
import type { BenchResults } from "./results";
import { median } from "./timing";

/** The performance targets for the API (one shard, SIFT 4.5k). */
export const targets = {
  singleQuery: { perSecond: 3_500, recall: 0.95, p50Us: 300, p99Us: 1_000 },
  concurrent: { perSecond: 12_000, minInFlight: 8, maxInFlight: 32 },
  ingest: { perSecond: 10_000, batchSize: 1_000 },
  /** Spawn to the first answered Search, 100k points in one shard, after a graceful stop. */
  coldStart: { maxMs: 2_000, points: 100_000 },
} as const;

/** One target checked for one protocol: met or not, the figures, and what is missing. */
export interface TargetCheck {
  met: boolean;
  /** The measured figures, e.g. "1,540/s, p50 610 µs, p99 1,200 µs, recall 0.99". */
  measured: string;
  /** What falls short, e.g. ["throughput ×2.27 short"]; empty when met. */
  gaps: string[];
}

export interface TargetRow {
  target: string;
  checks: Record<Protocol, TargetCheck>;
}

const n = formatNumber;
const short = (have: number, want: number) => `needs ×${n(want / have, 2)}`;

/** Checks each target for each protocol against a run's medians. */
export function checkTargets(results: BenchResults): TargetRow[] {
  return [
    {
      target: `≥ ${n(targets.singleQuery.perSecond)} searches/s one at a time, recall ≥ ${targets.singleQuery.recall}, p50 ≤ ${targets.singleQuery.p50Us} µs, p99 ≤ ${n(targets.singleQuery.p99Us)} µs`,
      checks: byProtocol((p) => singleQuery(results, p)),
    },
    {
      target: `≥ ${n(targets.concurrent.perSecond)} searches/s with ${targets.concurrent.minInFlight}–${targets.concurrent.maxInFlight} in flight`,
      checks: byProtocol((p) => concurrent(results, p)),
    },
    {
      target: `ingest ≥ ${n(targets.ingest.perSecond)} vectors/s in batches of ${n(targets.ingest.batchSize)}`,
      checks: byProtocol((p) => ingest(results, p)),
    },
  ];
}

/**
 * The cold-start target (not per protocol: the first search is a Connect JSON call):
 * the median over the restarts of a server holding the target's point count.
 */
export function checkColdStart(results: BenchResults): TargetCheck & { target: string } {
  const want = targets.coldStart;
  const target = `cold start ≤ ${n(want.maxMs / 1000)} s: spawn to first answered Search, ${n(want.points)} points in one shard, after SIGTERM`;
  const restarts = results.scale.api.coldStart.find((c) => c.points === want.points);
  if (!restarts) return { target, met: false, measured: "not measured", gaps: ["not measured"] };
  const firstSearch = median(restarts.runs.map((r) => r.firstSearchMs));
  const listening = median(restarts.runs.map((r) => r.listeningMs));
  const loaded = restarts.runs.every((r) => r.shardLines.length > 0 && r.shardLines.every((l) => l.includes("loaded saved index")));
  const gaps = firstSearch > want.maxMs ? [`×${n(firstSearch / want.maxMs, 2)} over`] : [];
  const how = loaded ? "saved index loaded" : "index rebuilt at least once";
  return { target, met: gaps.length === 0, measured: `${n(firstSearch)} ms (listening after ${n(listening)} ms; ${how})`, gaps };
}

function byProtocol(check: (p: Protocol) => TargetCheck): Record<Protocol, TargetCheck> {
  return Object.fromEntries(protocols.map((p) => [p, check(p)])) as Record<Protocol, TargetCheck>;
}

function singleQuery(results: BenchResults, protocol: Protocol): TargetCheck {
  const want = targets.singleQuery;
  const s = results.search.find((r) => r.protocol === protocol && r.inFlight === 1)?.summary;
  if (!s) return { met: false, measured: "not measured", gaps: ["not measured"] };
  const p50 = s.p50Us ?? Infinity;
  const p99 = s.p99Us ?? Infinity;
  const gaps: string[] = [];
  if (s.perSecond < want.perSecond) gaps.push(`rate ${short(s.perSecond, want.perSecond)}`);
  if (s.recall < want.recall) gaps.push(`recall ${n(s.recall, 3)}`);
  if (p50 > want.p50Us) gaps.push(`p50 ×${n(p50 / want.p50Us, 2)} over`);
  if (p99 > want.p99Us) gaps.push(`p99 ×${n(p99 / want.p99Us, 2)} over`);
  const measured = `${n(s.perSecond)}/s, p50 ${n(p50)} µs, p99 ${n(p99)} µs, recall ${n(s.recall, 3)}`;
  return { met: gaps.length === 0, measured, gaps };
}

function concurrent(results: BenchResults, protocol: Protocol): TargetCheck {
  const want = targets.concurrent;
  const inRange = results.search.filter(
    (r) => r.protocol === protocol && r.inFlight >= want.minInFlight && r.inFlight <= want.maxInFlight,
  );
  const best = inRange.sort((a, b) => b.summary.perSecond - a.summary.perSecond)[0];
  if (!best) return { met: false, measured: "not measured", gaps: ["not measured"] };
  const rate = best.summary.perSecond;
  const gaps = rate < want.perSecond ? [`rate ${short(rate, want.perSecond)}`] : [];
  return { met: gaps.length === 0, measured: `${n(rate)}/s (best, at ${best.inFlight} in flight)`, gaps };
}

function ingest(results: BenchResults, protocol: Protocol): TargetCheck {
  const want = targets.ingest;
  const s = results.ingest.find((r) => r.protocol === protocol && r.batchSize === want.batchSize)?.summary;
  if (!s) return { met: false, measured: "not measured", gaps: ["not measured"] };
  const gaps = s.perSecond < want.perSecond ? [`rate ${short(s.perSecond, want.perSecond)}`] : [];
  return { met: gaps.length === 0, measured: `${n(s.perSecond)} vectors/s`, gaps };
}
