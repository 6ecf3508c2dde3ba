import { benchIngest, benchSearch, checkSearchAnswers, loadSearchCollection, type Repetitions, type SearchSummary } from "./api-bench";
import type { BenchClient, Protocol } from "./api-clients";
import { measureFilteredSearch, type FilteredFigures } from "./filtered-search-bench";
import { mnistFilteredCases } from "./mnist-digit-filter";
import type { MnistWorkload } from "./mnist-workload";
import type { Summary } from "./timing";
import { measureUsearch, type UsearchFigures } from "./usearch-baseline";

/** Ingest batch size on MNIST. */
export const MNIST_BATCH = 1_000;

/** What the MNIST part of a run measured. */
export interface MnistResults {
  usearch: UsearchFigures;
  ingest: { protocol: Protocol; summary: Summary }[];
  /** One search at a time. */
  search: { protocol: Protocol; summary: SearchSummary }[];
}

/**
 * MNIST in process (usearch, same HNSW parameters) and through the API on a running
 * server with `clients` (one per protocol measured): ingest of the 9,000 images in
 * batches of 1,000 into a fresh single-shard collection per repetition, then the held-out
 * queries one at a time against one collection holding them all, then over Connect JSON
 * unfiltered and filtered by the query's digit.
 */
export async function measureMnist(
  workload: MnistWorkload,
  clients: readonly BenchClient[],
  repetitions: Repetitions,
  progress: (message: string) => void,
): Promise<MnistResults & { filtered: FilteredFigures[] }> {
  progress("MNIST: usearch in process");
  const usearch = measureUsearch(workload, repetitions);
  const ingest: MnistResults["ingest"] = [];
  for (const client of clients) {
    progress(`MNIST: ingest, batches of ${MNIST_BATCH}, ${client.protocol}`);
    ingest.push({ protocol: client.protocol, summary: await benchIngest(client, workload, MNIST_BATCH, repetitions) });
  }
  const collection = await loadSearchCollection(clients[0]!, workload);
  const search: MnistResults["search"] = [];
  for (const client of clients) {
    progress(`MNIST: search, one at a time, ${client.protocol}`);
    await checkSearchAnswers(client, collection, workload);
    search.push({ protocol: client.protocol, summary: await benchSearch(client, collection, workload, 1, repetitions) });
  }
  const json = clients.find((c) => c.protocol === "connect-json")!;
  const cases = mnistFilteredCases(workload);
  await json.createPayloadIndex!(collection, "digit", "PAYLOAD_INDEX_KIND_INTEGER");
  const filtered = await measureFilteredSearch(json, collection, cases, [1], repetitions, (m) => progress(`MNIST: ${m}`));
  await clients[0]!.deleteCollection(collection);
  return { usearch, ingest, search, filtered };
}
