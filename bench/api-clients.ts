import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { Distance, FilterSchema, VectronService } from "@vectron/proto/v1";
import { connectClients } from "../test/support/connect-clients";
import { okJson } from "../test/support/connect-json";
import type { JsonFilter } from "./search-filter";
import type { BenchPoint } from "./workload";

/** The wire protocols benchmarked. */
export type Protocol = "connect-json" | "connect-binary" | "grpc";

export const protocols: readonly Protocol[] = ["connect-json", "connect-binary", "grpc"];

/** How each protocol is spoken, for the report. */
export const protocolLabels: Record<Protocol, string> = {
  "connect-json": "Connect JSON (fetch)",
  "connect-binary": "Connect binary (connect-web)",
  grpc: "gRPC (connect-node, HTTP/2)",
};

/** A search hit as the benchmark looks at it. */
export interface BenchHit {
  id: string;
  payload?: unknown;
}

/** What a benchmark collection is made of. */
export interface CollectionShape {
  dimension: number;
  shardCount: number;
}

/** The calls the benchmark makes, the same over every protocol. */
export interface BenchClient {
  protocol: Protocol;
  /** A Euclidean collection of `dimension`-dimensional vectors in `shardCount` shards. */
  createCollection(name: string, shape: CollectionShape): Promise<void>;
  /** Top 10 of each vector in one SearchBatch request, in order, payloads returned. */
  searchBatch(collection: string, vectors: readonly number[][]): Promise<BenchHit[][]>;
  /** Declares a payload index (Connect JSON client only). */
  createPayloadIndex?(collection: string, key: string, kind: "PAYLOAD_INDEX_KIND_INTEGER" | "PAYLOAD_INDEX_KIND_KEYWORD"): Promise<void>;
  deleteCollection(name: string): Promise<void>;
  /** Upserts a batch; resolves with the acknowledged count once the server has it durably. */
  upsert(collection: string, points: readonly BenchPoint[]): Promise<number>;
  /** Top 10 of `vector` among the points `filter` keeps (all without one), best first, payloads returned (the default). */
  search(collection: string, vector: number[], filter?: JsonFilter): Promise<BenchHit[]>;
  /** Count of the collection's points. */
  count(collection: string): Promise<number>;
  close(): void;
}

/** Where the server listens and the API key the calls carry. */
export interface ClientTarget {
  baseUrl: string;
  grpcAddress: string;
  apiKey: string;
}

/** A client for `protocol`, speaking to `target` with its API key. */
export function createBenchClient(protocol: Protocol, target: ClientTarget): BenchClient {
  if (protocol === "connect-json") return connectJsonClient(target);
  if (protocol === "connect-binary") return generatedClient(protocol, connectClients(target.baseUrl, target.apiKey, protocol).vectron, () => {});
  const sessions = new Http2SessionManager(`http://${target.grpcAddress}`);
  const transport = createGrpcTransport({
    baseUrl: `http://${target.grpcAddress}`,
    sessionManager: sessions,
    interceptors: [bearer(target.apiKey)],
  });
  return generatedClient(protocol, createClient(VectronService, transport), () => sessions.abort());
}

function bearer(token: string): Interceptor {
  return (next) => (request) => {
    request.header.set("authorization", `Bearer ${token}`);
    return next(request);
  };
}

/** Connect JSON with plain fetch and JSON.stringify, as curl or any HTTP library would. */
function connectJsonClient({ baseUrl, apiKey }: ClientTarget): BenchClient {
  const call = (method: string, body: unknown) => okJson(baseUrl, `vectron.v1.VectronService/${method}`, body, apiKey);
  return {
    protocol: "connect-json",
    async createCollection(name, { dimension, shardCount }) {
      await call("CreateCollection", { name, dimension, distance: "DISTANCE_EUCLIDEAN", shardCount });
    },
    async deleteCollection(name) {
      await call("DeleteCollection", { name });
    },
    async createPayloadIndex(collection, key, kind) {
      await call("CreatePayloadIndex", { collection, index: { key, kind } });
    },
    async upsert(collection, points) {
      return Number((await call("Upsert", { collection, points })).upserted ?? 0);
    },
    async searchBatch(collection, vectors) {
      const body = { collection, queries: vectors.map((vector) => ({ vector, topK: 10 })) };
      return ((await call("SearchBatch", body)).batches ?? []).map((b: { results?: BenchHit[] }) => b.results ?? []);
    },
    async search(collection, vector, filter) {
      // JSON.stringify leaves an undefined filter out: the unfiltered body is unchanged.
      return (await call("Search", { collection, vector, topK: 10, filter })).results ?? [];
    },
    async count(collection) {
      return Number((await call("Count", { collection })).count ?? 0);
    },
    close() {},
  };
}

/** The generated VectronService client over any transport. */
function generatedClient(protocol: Protocol, client: Client<typeof VectronService>, close: () => void): BenchClient {
  return {
    protocol,
    async createCollection(name, { dimension, shardCount }) {
      await client.createCollection({ name, dimension, distance: Distance.EUCLIDEAN, shardCount });
    },
    async deleteCollection(name) {
      await client.deleteCollection({ name });
    },
    async upsert(collection, points) {
      return (await client.upsert({ collection, points: points as BenchPoint[] })).upserted;
    },
    async search(collection, vector, filter) {
      const asMessage = filter && fromJson(FilterSchema, filter as unknown as JsonValue);
      return (await client.search({ collection, vector, topK: 10, filter: asMessage })).results;
    },
    async count(collection) {
      return Number((await client.count({ collection })).count);
    },
    async searchBatch(collection, vectors) {
      const { batches } = await client.searchBatch({ collection, queries: vectors.map((vector) => ({ vector: [...vector], topK: 10 })) });
      return batches.map((batch) => batch.results);
    },
    close,
  };
}
