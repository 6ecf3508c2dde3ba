import { percentOf, unfilteredOf } from "./filtered-report";
import type { FilteredFigures } from "./filtered-search-bench";
import { formatNumber as n } from "./number-format";
import type { BenchResults } from "./results";
import { spreadLimit } from "./sift-selectivity";
import type { TargetCheck } from "./targets";

/** The targets for filtered search (one shard of SIFT 4.5k, Connect JSON). */
export const filteredTargets = {
  /** At 1% of the points matching: this share of the unfiltered rate, at this recall. */
  onePercent: { share: 0.01, minRatio: 0.3, recall: 0.95 },
  /** recall@10 at every share from 100% down to 0.1%, and an empty answer when nothing matches. */
  everyShare: { recall: 0.95, lowestShare: 0.001 },
  /** A filter matching nothing is "fast": read here as at least this share of the unfiltered rate. */
  nothingMatching: { minRatio: 1 },
} as const;

/** The concurrencies the filtered targets are checked at (columns of the table). */
export const filteredTargetInFlight = [1, 8] as const;

/** One filtered target, checked at each concurrency of `filteredTargetInFlight`. */
export interface FilteredTargetRow {
  target: string;
  checks: TargetCheck[];
}

const notMeasured: TargetCheck = { met: false, measured: "not measured", gaps: ["not measured"] };

/** Checks the filtered-search targets against the SIFT filtered figures of a run. */
export function checkFilteredTargets(results: BenchResults): FilteredTargetRow[] {
  const { onePercent, everyShare } = filteredTargets;
  const sift = results.filtered.sift;
  const atEach = (check: (figures: FilteredFigures[], unfiltered: FilteredFigures) => TargetCheck) =>
    filteredTargetInFlight.map((inFlight) => {
      const figures = sift.filter((g) => g.inFlight === inFlight && g.label !== "none");
      const unfiltered = unfilteredOf(sift, { inFlight });
      return unfiltered && figures.length > 0 ? check(figures, unfiltered) : notMeasured;
    });
  return [
    {
      target: `filtered search at ${percentOf(onePercent.share, 1)} of the points matching ≥ ${percentOf(onePercent.minRatio, 1)} of the unfiltered rate, recall ≥ ${onePercent.recall}`,
      checks: atEach(checkOnePercent),
    },
    {
      target: `recall@10 ≥ ${everyShare.recall} at every share matching from 100% down to ${percentOf(everyShare.lowestShare, 1)}, and an empty answer when nothing matches`,
      checks: atEach(checkEveryShare),
    },
    {
      target: "a filter matching nothing is fast: at least the unfiltered rate",
      checks: atEach(checkNothingMatching),
    },
  ];
}

function checkOnePercent(filtered: FilteredFigures[], unfiltered: FilteredFigures): TargetCheck {
  const want = filteredTargets.onePercent;
  const f = filtered.find((g) => g.matching === spreadLimit(want.share, g.points));
  if (!f) return notMeasured;
  const share = f.summary.perSecond / unfiltered.summary.perSecond;
  const gaps: string[] = [];
  if (share < want.minRatio) gaps.push(`rate needs ×${n(want.minRatio / share, 2)}`);
  if (f.summary.recall < want.recall) gaps.push(`recall ${n(f.summary.recall, 3)}`);
  const measured = `${n(f.summary.perSecond)}/s = ${percentOf(share, 1)} of ${n(unfiltered.summary.perSecond)}/s unfiltered, recall ${n(f.summary.recall, 3)}`;
  return { met: gaps.length === 0, measured, gaps };
}

function checkEveryShare(filtered: FilteredFigures[], unfiltered: FilteredFigures): TargetCheck {
  const want = filteredTargets.everyShare;
  const matching = filtered.filter((g) => g.matching >= spreadLimit(want.lowestShare, unfiltered.points));
  const none = filtered.find((g) => g.matching === 0);
  if (matching.length === 0 || !none) return notMeasured;
  const worst = matching.reduce((a, b) => (b.summary.recall < a.summary.recall ? b : a));
  const gaps: string[] = [];
  if (worst.summary.recall < want.recall) gaps.push(`recall ${n(worst.summary.recall, 3)} at ${percentOf(worst.matching, worst.points)}`);
  if (none.checkedHits > 0) gaps.push(`nothing matching answered ${n(none.checkedHits)} hits`);
  const answers = `${n(none.queries * none.repetitions)} answers`;
  const empty = none.checkedHits === 0 ? `all ${answers} empty` : `${n(none.checkedHits)} hits in ${answers}`;
  const measured = `lowest recall ${n(worst.summary.recall, 3)} (at ${percentOf(worst.matching, worst.points)}) over ${matching.length} shares; nothing matching: ${empty}`;
  return { met: gaps.length === 0, measured, gaps };
}

function checkNothingMatching(filtered: FilteredFigures[], unfiltered: FilteredFigures): TargetCheck {
  const want = filteredTargets.nothingMatching;
  const none = filtered.find((g) => g.matching === 0);
  if (!none) return notMeasured;
  const share = none.summary.perSecond / unfiltered.summary.perSecond;
  const gaps = share < want.minRatio ? [`rate needs ×${n(want.minRatio / share, 2)}`] : [];
  const measured = `${n(none.summary.perSecond)}/s (p50 ${n(none.summary.p50Us ?? NaN)} µs) vs ${n(unfiltered.summary.perSecond)}/s unfiltered (p50 ${n(unfiltered.summary.p50Us ?? NaN)} µs)`;
  return { met: gaps.length === 0, measured, gaps };
}
