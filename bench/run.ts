/**
 * `npm run bench`: SIFT and MNIST through the API against usearch in process (searches
 * plain and filtered), a set of 200k points derived from SIFT (ingest, search, cold start,
 * memory), in one run; prints the tables and rewrites bench/README.md. Wiring only: each measurement lives in its own file.
 */
import { loadavg } from "node:os";
import { join } from "node:path";
import { existingClusterSection } from "./cluster-section";
import { defaultConnectivity, defaultExpansionAdd, defaultExpansionSearch } from "@vectron/shard-store";
import { newAccount } from "../test/support/accounts";
import { createBenchClient, protocols, type BenchClient, type Protocol } from "./api-clients";
import { createBenchServers, type BenchServers } from "./bench-server";
import { derivedRecipe, loadDerivedSet } from "./derived-set";
import { describeMachine } from "./machine";
import { measureMnist } from "./mnist-bench";
import { loadMnistWorkload } from "./mnist-workload";
import { renderAllTables, renderMachine, renderReadme } from "./report";
import type { BenchResults } from "./results";
import { measureScale } from "./scale-bench";
import { measureSiftApi } from "./sift-bench";
import { loadSiftWorkload } from "./sift-workload";
import { measureUsearch, measureUsearchInHalves } from "./usearch-baseline";

const REPETITIONS = { repetitions: 3 };
const MNIST_PROTOCOLS: readonly Protocol[] = ["connect-json", "grpc"];

const progress = (message: string) => console.error(`[bench] ${(performance.now() / 1e3).toFixed(0).padStart(4)} s  ${message}`);

/** SIFT and MNIST through one server, each protocol with its own client. */
async function measureSiftAndMnist(servers: BenchServers) {
  progress("loading SIFT and MNIST, computing exact top 10s");
  const sift = await loadSiftWorkload();
  const mnist = await loadMnistWorkload();
  progress("SIFT: usearch in process");
  const usearch = measureUsearch(sift, REPETITIONS, [1, 2]);
  progress("starting vectron serve");
  const server = await servers.start();
  const clients: BenchClient[] = [];
  try {
    const { apiKey } = await newAccount(server.baseUrl, "bench");
    const target = { baseUrl: server.baseUrl, grpcAddress: server.grpcAddress, apiKey };
    clients.push(...protocols.map((protocol) => createBenchClient(protocol, target)));
    const { filtered: siftFiltered, ...siftApi } = await measureSiftApi(sift, clients, REPETITIONS, progress);
    const mnistClients = clients.filter((c) => MNIST_PROTOCOLS.includes(c.protocol));
    const { filtered: mnistFiltered, ...mnistApi } = await measureMnist(mnist, mnistClients, REPETITIONS, progress);
    return { usearch, ...siftApi, mnist: mnistApi, filtered: { sift: siftFiltered, mnist: mnistFiltered } };
  } finally {
    for (const client of clients) client.close();
    await server.stop();
  }
}

/** The derived set: usearch in process first, then through its own server. */
async function measureDerived(servers: BenchServers): Promise<BenchResults["scale"]> {
  progress(`derived set: ${derivedRecipe.points} points, exact top 10 of ${derivedRecipe.queries} queries`);
  const set = await loadDerivedSet();
  progress("derived set: usearch in process (one build, in two halves)");
  const usearch = measureUsearchInHalves(set, REPETITIONS);
  const api = await measureScale(servers, set, REPETITIONS, progress);
  return { recipe: { ...derivedRecipe, sourceRows: set.sourceRows }, usearch, api };
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const machine = describeMachine();
  const t0 = performance.now();
  const servers = createBenchServers();
  const onSignal = (signal: NodeJS.Signals) => {
    progress(`${signal}: stopping the servers`);
    void servers.stopAll(2_000).finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  let measured;
  try {
    measured = { ...(await measureSiftAndMnist(servers)), scale: await measureDerived(servers) };
  } finally {
    await servers.stopAll();
  }
  const results: BenchResults = {
    machine,
    startedAt,
    durationS: (performance.now() - t0) / 1e3,
    loadAverageAfter: loadavg()[0]!,
    repetitions: REPETITIONS.repetitions,
    hnsw: { connectivity: defaultConnectivity, expansionAdd: defaultExpansionAdd, expansionSearch: defaultExpansionSearch },
    ...measured,
  };
  console.log(`${renderMachine(results)}\n\n${renderAllTables(results)}`);
  // The cluster section comes from bench/cluster-bench.ts (its own run): kept as it is.
  const readme = join(import.meta.dir, "README.md");
  const cluster = existingClusterSection(await Bun.file(readme).text().catch(() => ""));
  await Bun.write(readme, cluster ? `${renderReadme(results).trimEnd()}\n\n${cluster}\n` : renderReadme(results));
  progress("wrote bench/README.md");
}

await main();
