import { benchBatchSearch, benchFloor, benchIngest, benchSearch, checkSearchAnswers, loadFloorCollection, loadSearchCollection, type Repetitions } from "./api-bench";
import type { BenchClient } from "./api-clients";
import { measureFilteredSearch } from "./filtered-search-bench";
import type { BenchResults } from "./results";
import { siftFilteredCases } from "./sift-selectivity";
import type { ApiWorkload } from "./workload";

const INGEST_BATCHES = [100, 1_000];
const SEARCH_IN_FLIGHT = [1, 8, 32];
const FILTERED_IN_FLIGHT = [1, 8];
/** Queries per SearchBatch request, and requests outstanding. */
const BATCH_SIZE = 100;
const BATCH_IN_FLIGHT = [1, 4];

/**
 * SIFT 4.5k through the API with `clients` (one per protocol): ingest in batches of 100
 * and 1,000, search with 1, 8 and 32 in flight, filtered search over Connect JSON (1 and
 * 8 in flight) from every point matching down to none, and the request floor.
 */
export async function measureSiftApi(
  workload: ApiWorkload,
  clients: readonly BenchClient[],
  repetitions: Repetitions,
  progress: (message: string) => void,
): Promise<Pick<BenchResults, "ingest" | "search" | "batchSearch" | "floor"> & { filtered: BenchResults["filtered"]["sift"] }> {
  const ingest: BenchResults["ingest"] = [];
  for (const batchSize of INGEST_BATCHES) {
    for (const client of clients) {
      progress(`SIFT: ingest, batches of ${batchSize}, ${client.protocol}`);
      ingest.push({ protocol: client.protocol, batchSize, summary: await benchIngest(client, workload, batchSize, repetitions) });
    }
  }
  const collection = await loadSearchCollection(clients[0]!, workload);
  const search: BenchResults["search"] = [];
  for (const inFlight of SEARCH_IN_FLIGHT) {
    for (const client of clients) {
      progress(`SIFT: search, ${inFlight} in flight, ${client.protocol}`);
      await checkSearchAnswers(client, collection, workload);
      search.push({ protocol: client.protocol, inFlight, summary: await benchSearch(client, collection, workload, inFlight, repetitions) });
    }
  }
  const batchSearch: BenchResults["batchSearch"] = [];
  for (const inFlight of BATCH_IN_FLIGHT) {
    for (const client of clients) {
      progress(`SIFT: batch search, ${BATCH_SIZE} per request, ${inFlight} in flight, ${client.protocol}`);
      const summary = await benchBatchSearch(client, collection, workload, BATCH_SIZE, inFlight, repetitions);
      batchSearch.push({ protocol: client.protocol, batchSize: BATCH_SIZE, inFlight, summary });
    }
  }
  const json = clients.find((c) => c.protocol === "connect-json")!;
  const cases = siftFilteredCases(workload);
  // Filtered search as users should run it: the filtered key has a payload index.
  await json.createPayloadIndex!(collection, "spread", "PAYLOAD_INDEX_KIND_INTEGER");
  const filtered = await measureFilteredSearch(json, collection, cases, FILTERED_IN_FLIGHT, repetitions, (m) => progress(`SIFT: ${m}`));
  const tiny = await loadFloorCollection(clients[0]!, workload);
  const floor: BenchResults["floor"] = [];
  for (const client of clients) {
    progress(`SIFT: request floor, ${client.protocol}`);
    floor.push({ protocol: client.protocol, summary: await benchFloor(client, tiny, repetitions) });
  }
  await clients[0]!.deleteCollection(collection);
  await clients[0]!.deleteCollection(tiny);
  return { ingest, search, batchSearch, floor, filtered };
}
