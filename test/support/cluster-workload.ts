import { Code, ConnectError, type Client } from "@connectrpc/connect";
import type { SiftSet } from "@vectron/datasets";
import type { VectronService } from "@vectron/proto/v1";
import { connectClients } from "./connect-clients";

/** What became of one Upsert as the client saw it. */
export type WriteOutcome = "acked" | "unknown";

/** A point the workload wrote: its SIFT row gives the vector. */
export interface WrittenPoint {
  id: string;
  row: number;
  payload: { batch: number; writer: number; row: number; note: string };
}

export interface WriteBatch {
  batch: number;
  points: WrittenPoint[];
  outcome: WriteOutcome;
  /** The error, for unknown outcomes. */
  error?: string;
}

/**
 * Clients upserting and searching continuously against the API nodes while faults are
 * injected: every batch of new points is recorded as acknowledged or unknown (an error:
 * the write may or may not have happened). Writes never reuse an id, so after the fact
 * each point is either exactly as written or absent.
 */
export class ClusterWorkload {
  readonly batches: WriteBatch[] = [];
  searches = 0;
  searchErrors: string[] = [];
  private running = false;
  private paused = false;
  private loops: Promise<void>[] = [];
  private nextBatch = 0;

  constructor(
    private readonly apiUrls: () => string[],
    private readonly apiKey: string,
    private readonly collection: string,
    private readonly sift: SiftSet,
    private readonly options: { writers: number; batchSize: number } = { writers: 2, batchSize: 10 },
  ) {}

  start(): void {
    this.running = true;
    for (let writer = 0; writer < this.options.writers; writer++) this.loops.push(this.writeLoop(writer));
    this.loops.push(this.searchLoop());
  }

  /** Stops issuing requests once the ones in flight have finished (for checks on a quiet cluster). */
  async pause(): Promise<void> {
    this.paused = true;
    const loops = this.loops;
    this.running = false;
    await Promise.all(loops);
    this.loops = [];
  }

  resume(): void {
    this.paused = false;
    this.start();
  }

  acked(): WrittenPoint[] {
    return this.batches.filter((b) => b.outcome === "acked").flatMap((b) => b.points);
  }

  unknown(): WriteBatch[] {
    return this.batches.filter((b) => b.outcome === "unknown");
  }

  private client(): Client<typeof VectronService> {
    const urls = this.apiUrls();
    return connectClients(urls[Math.floor(Math.random() * urls.length)]!, this.apiKey, "connect-binary").vectron;
  }

  private async writeLoop(writer: number): Promise<void> {
    while (this.running && !this.paused) {
      const batch = this.nextBatch++;
      const points: WrittenPoint[] = Array.from({ length: this.options.batchSize }, (_, i) => {
        const row = (batch * this.options.batchSize + i) % this.sift.base.length;
        return { id: `b${batch}-${i}`, row, payload: { batch, writer, row, note: `point ${i} of batch ${batch}` } };
      });
      try {
        await this.client().upsert(
          { collection: this.collection, points: points.map((p) => ({ id: p.id, vector: Array.from(this.sift.base[p.row]!), payload: p.payload })) },
          { timeoutMs: 20_000 },
        );
        this.batches.push({ batch, points, outcome: "acked" });
      } catch (err) {
        // A refused request (bad input) is a bug in the test or the server, not a fault.
        if (err instanceof ConnectError && err.code === Code.InvalidArgument) throw err;
        this.batches.push({ batch, points, outcome: "unknown", error: String(err) });
        await Bun.sleep(100);
      }
    }
  }

  private async searchLoop(): Promise<void> {
    let q = 0;
    while (this.running && !this.paused) {
      const query = this.sift.queries[q++ % this.sift.queries.length]!;
      try {
        await this.client().search({ collection: this.collection, vector: Array.from(query), topK: 10 }, { timeoutMs: 20_000 });
        this.searches++;
      } catch (err) {
        this.searchErrors.push(String(err));
        await Bun.sleep(100);
      }
    }
  }
}
