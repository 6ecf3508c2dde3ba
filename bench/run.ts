/**
 * `npm run bench`: SIFT through the API against usearch in process, in one run; prints
 * the table and rewrites bench/README.md. Wiring only: each measurement lives in its own file.
 */
import { join } from "node:path";
import { defaultConnectivity, defaultExpansionAdd, defaultExpansionSearch } from "@vectron/shard-store";
import { newAccount } from "../test/support/accounts";
import { benchFloor, benchIngest, benchSearch, checkSearchAnswers, loadFloorCollection, loadSearchCollection } from "./api-bench";
import { createBenchClient, protocols, type BenchClient } from "./api-clients";
import { startBenchServer, type BenchServer } from "./bench-server";
import { describeMachine } from "./machine";
import { renderMachine, renderReadme, renderTable } from "./report";
import type { BenchResults } from "./results";
import { loadSiftWorkload, type SiftWorkload } from "./sift-workload";
import { median, medianSummary, summarize } from "./timing";
import { timeAdd, timeSearch } from "./usearch-baseline";

const REPETITIONS = 3;
const INGEST_BATCHES = [100, 1_000];
const SEARCH_IN_FLIGHT = [1, 8, 32];

const progress = (message: string) => console.error(`[bench] ${message}`);

function measureUsearch(workload: SiftWorkload): BenchResults["usearch"] {
  const add = [1, 2].map((threads) => {
    timeAdd(workload, threads); // warm-up
    const summaries = Array.from({ length: REPETITIONS }, () => summarize(timeAdd(workload, threads).pass));
    return { threads, summary: medianSummary(summaries) };
  });
  const { index } = timeAdd(workload, 1);
  timeSearch(workload, index); // warm-up
  const passes = Array.from({ length: REPETITIONS }, () => timeSearch(workload, index));
  return { add, search: { ...medianSummary(passes.map((p) => summarize(p.pass))), recall: median(passes.map((p) => p.recall)) } };
}

async function measureApi(server: BenchServer, workload: SiftWorkload, clients: BenchClient[]) {
  const target = { baseUrl: server.baseUrl, grpcAddress: server.grpcAddress };
  const { apiKey } = await newAccount(server.baseUrl, "bench");
  const main = protocols.map((protocol) => createBenchClient(protocol, { ...target, apiKey }));
  clients.push(...main);
  const repetitions = { repetitions: REPETITIONS };

  const ingest: BenchResults["ingest"] = [];
  for (const batchSize of INGEST_BATCHES) {
    for (const client of main) {
      progress(`ingest, batches of ${batchSize}, ${client.protocol}`);
      ingest.push({ protocol: client.protocol, batchSize, summary: await benchIngest(client, workload, batchSize, repetitions) });
    }
  }
  const collection = await loadSearchCollection(main[0]!, workload);
  const search: BenchResults["search"] = [];
  for (const inFlight of SEARCH_IN_FLIGHT) {
    for (const client of main) {
      progress(`search, ${inFlight} in flight, ${client.protocol}`);
      await checkSearchAnswers(client, collection, workload);
      search.push({ protocol: client.protocol, inFlight, summary: await benchSearch(client, collection, workload, inFlight, repetitions) });
    }
  }
  const tiny = await loadFloorCollection(main[0]!, workload);
  const floor: BenchResults["floor"] = [];
  for (const client of main) {
    progress(`request floor, ${client.protocol}`);
    floor.push({ protocol: client.protocol, summary: await benchFloor(client, tiny, repetitions) });
  }
  return { ingest, search, floor };
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const machine = describeMachine();
  const t0 = performance.now();
  progress("loading SIFT and computing exact top 10");
  const workload = await loadSiftWorkload();
  progress("usearch in process");
  const usearch = measureUsearch(workload);

  progress("starting vectron serve");
  const server = await startBenchServer();
  const clients: BenchClient[] = [];
  const onSignal = (signal: NodeJS.Signals) => {
    progress(`${signal}: stopping the server`);
    void server.stop(2_000).finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  let api;
  try {
    api = await measureApi(server, workload, clients);
  } finally {
    for (const client of clients) client.close();
    await server.stop();
  }

  const results: BenchResults = {
    machine,
    startedAt,
    durationS: (performance.now() - t0) / 1e3,
    repetitions: REPETITIONS,
    hnsw: { connectivity: defaultConnectivity, expansionAdd: defaultExpansionAdd, expansionSearch: defaultExpansionSearch },
    usearch,
    ...api,
  };
  console.log(`${renderMachine(results)}\n\n${renderTable(results)}`);
  await Bun.write(join(import.meta.dir, "README.md"), renderReadme(results));
  progress("wrote bench/README.md");
}

await main();
