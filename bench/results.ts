import type { SearchSummary } from "./api-bench";
import type { Protocol } from "./api-clients";
import type { derivedRecipe } from "./derived-set";
import type { FilteredFigures } from "./filtered-search-bench";
import type { MachineInfo } from "./machine";
import type { MnistResults } from "./mnist-bench";
import type { ScaleApiResults } from "./scale-bench";
import type { Summary } from "./timing";
import type { UsearchFigures, UsearchHalvesFigures } from "./usearch-baseline";

/** Everything one run measured, as the report renders it. */
export interface BenchResults {
  machine: MachineInfo;
  startedAt: Date;
  /** Wall-clock seconds of the whole run. */
  durationS: number;
  /** 1-minute load average when the run ended: other work during the run shows here too. */
  loadAverageAfter: number;
  /** Timed repetitions behind each reported median. */
  repetitions: number;
  hnsw: { connectivity: number; expansionAdd: number; expansionSearch: number };
  /** SIFT 4.5k in process: adding all 4,500 vectors in one call (1 and 2 threads), the 500 queries one at a time. */
  usearch: UsearchFigures;
  ingest: { protocol: Protocol; batchSize: number; summary: Summary }[];
  search: { protocol: Protocol; inFlight: number; summary: SearchSummary }[];
  /** SearchBatch of `batchSize` queries per request, rate in queries/s. */
  batchSearch: { protocol: Protocol; batchSize: number; inFlight: number; summary: SearchSummary }[];
  floor: { protocol: Protocol; summary: Summary }[];
  mnist: MnistResults;
  /** Filtered searches over Connect JSON, each set's unfiltered reference ("none") among them. */
  filtered: { sift: FilteredFigures[]; mnist: FilteredFigures[] };
  /** The set derived from SIFT: how it was made, usearch on it, and the API on it. */
  scale: {
    recipe: typeof derivedRecipe & { sourceRows: number };
    usearch: UsearchHalvesFigures;
    api: ScaleApiResults;
  };
}
