/**
 * Ingest and search through the API on one worker against three, each a real cluster on
 * loopback (a fresh Postgres database, one placement process, the workers serving the
 * API; the client on the same 2 cores), with usearch in-process as the baseline of the
 * same run. Splices its section into bench/README.md (between the cluster markers,
 * which `npm run bench` keeps).
 *
 * Run: bun bench/cluster-bench.ts
 */
import { join } from "node:path";
import { Distance } from "@vectron/proto/v1";
import { newAccount } from "../test/support/accounts";
import { connectClients } from "../test/support/connect-clients";
import { TestCluster } from "../test/support/test-cluster";
import { createBenchClient } from "./api-clients";
import { closedLoop } from "./closed-loop";
import { spliceClusterSection } from "./cluster-section";
import { describeMachine } from "./machine";
import { renderRows, row, type Row } from "./report-table";
import { loadSiftWorkload } from "./sift-workload";
import { median, medianSummary, summarize } from "./timing";
import { measureUsearch } from "./usearch-baseline";
import { meanRecall, type ApiWorkload } from "./workload";

interface Setup {
  label: string;
  workers: number;
  shardCount: number;
  replicationFactor: number;
}

const setups: Setup[] = [
  { label: "1 worker, 2 shards, replication 1", workers: 1, shardCount: 2, replicationFactor: 1 },
  { label: "3 workers, 3 shards, replication 1", workers: 3, shardCount: 3, replicationFactor: 1 },
  { label: "3 workers, 2 shards, replication 3 (quorum 2)", workers: 3, shardCount: 2, replicationFactor: 3 },
];
const REPETITIONS = 3;
const BATCH = 1000;

const machine = describeMachine();
const started = new Date();
const workload = await loadSiftWorkload();
const usearch = measureUsearch(workload, { repetitions: REPETITIONS });
const addRate = usearch.add[0]!.summary.perSecond;
const searchRate = usearch.search.perSecond;
const rows: Row[] = [
  row("usearch add, 4,500 vectors in one call, 1 thread", "in-process", usearch.add[0]!.summary, "vectors/s", addRate),
  row("usearch search, one at a time, 1 thread", "in-process", usearch.search, "searches/s", searchRate, usearch.search.recall),
];
for (const setup of setups) rows.push(...(await measureSetup(setup, workload)));

const table = renderRows(rows);
console.log(table);
const section = `### Cluster: 1 worker against 3 (Connect binary)

Command: \`bun bench/cluster-bench.ts\` (${started.toISOString()}; ${machine.cpuModel}, nproc ${machine.nproc}; every process of the cluster and the client share these cores).

${table}

- Each setup is a fresh cluster of real \`vectron serve\` processes on loopback: one placement
  process and the workers (roles worker, api, auth), Postgres 127.0.0.1:5432 for accounts
  and placement, one shard thread per worker (\`VECTRON_SHARD_THREADS=1\`, so three workers
  hold no more threads than cores allow to matter).
- **ingest**: the 4,500 SIFT points with payloads in batches of ${BATCH}, one request at a time
  to the first worker's API (which routes each shard's part to its primary), into a fresh
  collection per repetition; acknowledged once durable on the write quorum (with
  replication 3: the primary and one follower; the third replica follows).
- **search**: the 500 queries (top 10, payloads returned, strong consistency: each shard's
  primary answers), spread round-robin over the workers' APIs, one at a time and 8 in flight.
- Median of ${REPETITIONS} repetitions. On one machine with 2 cores, more workers add hops and
  processes but no cores: these rows show the cost of distribution and replication, not
  the scale-out a cluster of machines gets.
`;
const readme = join(import.meta.dir, "README.md");
await Bun.write(readme, spliceClusterSection(await Bun.file(readme).text(), section));
console.log("wrote the cluster section of bench/README.md");

async function measureSetup(setup: Setup, workload: ApiWorkload): Promise<Row[]> {
  const cluster = await TestCluster.start({ placements: 1, workers: setup.workers });
  try {
    const account = await newAccount(cluster.workers[0]!.baseUrl, "bench");
    const admin = connectClients(cluster.workers[0]!.baseUrl, account.apiKey, "connect-binary").vectron;
    const clients = cluster.workers.map((w) => createBenchClient("connect-binary", { baseUrl: w.baseUrl, grpcAddress: "", apiKey: account.apiKey }));
    const create = (name: string) =>
      admin.createCollection({ name, dimension: workload.dimension, distance: Distance.EUCLIDEAN, shardCount: setup.shardCount, replicationFactor: setup.replicationFactor });

    const ingest = [];
    for (let r = 0; r <= REPETITIONS; r++) {
      const name = `ingest-${r}`;
      await create(name);
      const pass = await closedLoop(
        Math.ceil(workload.points.length / BATCH),
        1,
        (i) => clients[0]!.upsert(name, workload.points.slice(i * BATCH, (i + 1) * BATCH)),
        (i) => Math.min(BATCH, workload.points.length - i * BATCH),
      );
      if (r > 0) ingest.push(summarize(pass)); // the first is a warm-up
      if (r < REPETITIONS) await admin.deleteCollection({ name });
    }
    const searchCollection = `ingest-${REPETITIONS}`;
    const result: Row[] = [row(`ingest, batches of ${BATCH}, ${setup.label}`, "Connect binary", medianSummary(ingest), "vectors/s", addRate)];
    for (const inFlight of [1, 8]) {
      const passes = [];
      const recalls = [];
      for (let r = 0; r <= REPETITIONS; r++) {
        const found: string[][] = [];
        const pass = await closedLoop(workload.queryVectors.length, inFlight, async (q) => {
          const hits = await clients[q % clients.length]!.search(searchCollection, workload.queryVectors[q]!);
          found[q] = hits.map((hit) => hit.id);
        });
        if (r > 0) {
          passes.push(summarize(pass));
          recalls.push(meanRecall(workload, found));
        }
      }
      result.push(row(`search, ${inFlight === 1 ? "one at a time" : `${inFlight} in flight`}, ${setup.label}`, "Connect binary", medianSummary(passes), "searches/s", searchRate, median(recalls)));
    }
    for (const client of clients) client.close();
    return result;
  } finally {
    await cluster.stop();
  }
}
