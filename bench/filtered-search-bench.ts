import { benchSearch, type Repetitions, type SearchSummary } from "./api-bench";
import type { BenchClient, BenchHit, Protocol } from "./api-clients";
import type { FilteredCase } from "./filtered-case";
import { TOP_K } from "./workload";

/** Searches before each filtered case's timed passes, at the same concurrency. */
export const FILTERED_WARM_UP = 30;

/** One filtered case measured at one concurrency. */
export interface FilteredFigures {
  /** The case's label ("none" when unfiltered). */
  label: string;
  protocol: Protocol;
  /** Points the filter keeps: the mean over the queries, when each query has its own filter. */
  matching: number;
  /** Points in the collection. */
  points: number;
  queries: number;
  /** Timed passes over the queries. */
  repetitions: number;
  inFlight: number;
  /** Hits over every answer of the timed passes, each checked (0 for a filter matching nothing). */
  checkedHits: number;
  summary: SearchSummary;
}

/**
 * Fails unless an answer holds min(10, matching) hits, each a point the filter keeps
 * (judged by the returned payload): a filter matching nothing must answer empty.
 */
function checkAnswer(c: FilteredCase, protocol: Protocol, query: number, hits: readonly BenchHit[]): void {
  const model = c.filters[query]!;
  const stray = hits.find((hit) => !model.keeps(hit.payload as Parameters<typeof model.keeps>[0]));
  const want = Math.min(TOP_K, c.matching[query]!);
  if (hits.length === want && !stray) return;
  const why = stray ? `hit ${JSON.stringify(stray)} does not match` : `${hits.length} hits, expected ${want}`;
  throw new Error(`${protocol}: filtered search ${c.label}, query ${query}: ${why}`);
}

/**
 * Each case at each concurrency of `inFlights` (every case at one concurrency before the
 * next, so each is timed close to its unfiltered reference): `benchSearch` with the case's
 * filters, recall@10 against its exact filtered truth, and every answer checked.
 */
export async function measureFilteredSearch(
  client: BenchClient,
  collection: string,
  cases: readonly FilteredCase[],
  inFlights: readonly number[],
  repetitions: Repetitions,
  progress: (message: string) => void,
): Promise<FilteredFigures[]> {
  const figures: FilteredFigures[] = [];
  for (const inFlight of inFlights) {
    for (const c of cases) {
      progress(`filtered search ${c.label}, ${inFlight} in flight, ${client.protocol}`);
      let checkedHits = 0;
      const summary = await benchSearch(client, collection, c, inFlight, repetitions, {
        filterOf: (q) => c.filters[q]!.filter,
        warmUp: FILTERED_WARM_UP,
        check: (q, hits) => {
          checkAnswer(c, client.protocol, q, hits);
          checkedHits += hits.length;
        },
      });
      figures.push({
        label: c.label,
        protocol: client.protocol,
        matching: c.matching.reduce((sum, m) => sum + m, 0) / c.matching.length,
        points: c.points,
        queries: c.queryVectors.length,
        repetitions: repetitions.repetitions,
        inFlight,
        checkedHits,
        summary,
      });
    }
  }
  return figures;
}
