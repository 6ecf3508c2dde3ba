import { protocolLabels } from "./api-clients";
import { MNIST_BATCH } from "./mnist-bench";
import { MNIST_BASE_ROWS, MNIST_QUERIES } from "./mnist-workload";
import { formatNumber as n } from "./number-format";
import { renderRows, row, type Row } from "./report-table";
import type { BenchResults } from "./results";

function mnistRows(results: BenchResults): Row[] {
  const { usearch, ingest, search } = results.mnist;
  const add = usearch.add.find((a) => a.threads === 1)!.summary;
  const out: Row[] = [
    row(`usearch add, ${n(MNIST_BASE_ROWS)} vectors in one call, 1 thread`, "in-process", add, "vectors/s", add.perSecond),
    row("usearch search, one at a time, 1 thread", "in-process", usearch.search, "searches/s", usearch.search.perSecond, usearch.search.recall),
  ];
  for (const { protocol, summary } of ingest) {
    out.push(row(`API ingest, batches of ${n(MNIST_BATCH)}`, protocolLabels[protocol], summary, "vectors/s", add.perSecond));
  }
  for (const { protocol, summary } of search) {
    out.push(row("API search, one at a time", protocolLabels[protocol], summary, "searches/s", usearch.search.perSecond, summary.recall));
  }
  return out;
}

/** The MNIST table alone, and the README section holding it with what its rows mean. */
export function mnistSection(results: BenchResults): { table: string; markdown: string } {
  const table = renderRows(mnistRows(results));
  const markdown = `### MNIST, 784 dimensions, one shard

${table}

- The first ${n(MNIST_BASE_ROWS)} of MNIST's 10,000 test images (784 pixels of 0–255 each, as
  floats) are the points, with their digit in the payload; the first ${MNIST_QUERIES} of the last
  1,000 images are the queries; recall@10 is against brute force (Euclidean, in doubles).
- **usearch add / search**: as for SIFT, on these rows, 1 thread.
- **API ingest**: a new single-shard collection of dimension 784 per repetition gets all
  ${n(MNIST_BASE_ROWS)} points in batches of ${n(MNIST_BATCH)}, one request at a time, each
  acknowledged once durable; p50/p99 per batch. A batch is ~3 MB as protobuf and larger as JSON.
- **API search**: the ${MNIST_QUERIES} queries one at a time against one collection holding every point.`;
  return { table, markdown };
}
