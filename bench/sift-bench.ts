import { benchFloor, benchIngest, benchSearch, checkSearchAnswers, loadFloorCollection, loadSearchCollection, type Repetitions } from "./api-bench";
import type { BenchClient } from "./api-clients";
import type { BenchResults } from "./results";
import type { ApiWorkload } from "./workload";

const INGEST_BATCHES = [100, 1_000];
const SEARCH_IN_FLIGHT = [1, 8, 32];

/**
 * SIFT 4.5k through the API with `clients` (one per protocol): ingest in batches of 100
 * and 1,000, search with 1, 8 and 32 in flight, and the request floor.
 */
export async function measureSiftApi(
  workload: ApiWorkload,
  clients: readonly BenchClient[],
  repetitions: Repetitions,
  progress: (message: string) => void,
): Promise<Pick<BenchResults, "ingest" | "search" | "floor">> {
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
  const tiny = await loadFloorCollection(clients[0]!, workload);
  const floor: BenchResults["floor"] = [];
  for (const client of clients) {
    progress(`SIFT: request floor, ${client.protocol}`);
    floor.push({ protocol: client.protocol, summary: await benchFloor(client, tiny, repetitions) });
  }
  await clients[0]!.deleteCollection(collection);
  await clients[0]!.deleteCollection(tiny);
  return { ingest, search, floor };
}
