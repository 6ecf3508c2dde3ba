import type { Protocol } from "./api-clients";
import type { SearchSummary } from "./api-bench";
import type { MachineInfo } from "./machine";
import type { Summary } from "./timing";

/** Everything one run measured, as the report renders it. */
export interface BenchResults {
  machine: MachineInfo;
  startedAt: Date;
  /** Wall-clock seconds of the whole run. */
  durationS: number;
  /** Timed repetitions behind each reported median. */
  repetitions: number;
  hnsw: { connectivity: number; expansionAdd: number; expansionSearch: number };
  usearch: {
    /** Adding all 4,500 vectors in one call, by thread count. */
    add: { threads: number; summary: Summary }[];
    /** The 500 queries one at a time on one thread. */
    search: SearchSummary;
  };
  ingest: { protocol: Protocol; batchSize: number; summary: Summary }[];
  search: { protocol: Protocol; inFlight: number; summary: SearchSummary }[];
  floor: { protocol: Protocol; summary: Summary }[];
}
