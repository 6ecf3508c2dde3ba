import { createClient } from "@connectrpc/connect";
import { VectronService } from "@vectron/proto/v1";
import { createAuthClient } from "./create-auth-client.js";
import { resolveClientOptions, type Credentials, type VectronClientOptions } from "./client-options.js";
import { createCollectionCalls } from "./collection-calls.js";
import { createPointReads } from "./point-reads.js";
import { createPointWrites } from "./point-writes.js";
import { createRpcCaller } from "./rpc-caller.js";
import { createShardSnapshot } from "./shard-snapshot.js";
import type { VectronClient } from "./vectron-client.js";
import { createVectronTransport } from "./vectron-transport.js";

/**
 * A client of one Vectron node (or a load balancer in front of several), over the
 * Connect protocol on fetch: it runs unchanged in Node.js 18+, Bun, Deno and browsers.
 * Throws a TypeError at once when an option is wrong.
 *
 * @example
 * const vectron = createVectronClient({ baseUrl: "http://127.0.0.1:8080", apiKey: process.env.VECTRON_API_KEY });
 * await vectron.createCollection({ name: "docs", dimension: 3, metric: "cosine" });
 * await vectron.upsert("docs", [{ id: "a", vector: [1, 0, 0], payload: { lang: "en" } }]);
 * const hits = await vectron.search("docs", [0.9, 0.1, 0], { topK: 5, filter: { must: [{ key: "lang", match: { value: "en" } }] } });
 */
export function createVectronClient(options: VectronClientOptions): VectronClient {
  const resolved = resolveClientOptions(options);
  const transport = createVectronTransport(resolved);
  const call = createRpcCaller(resolved);
  const vectron = createClient(VectronService, transport);
  return {
    auth: createAuthClient(transport, call),
    withCredentials(credentials: Credentials) {
      const { apiKey: _apiKey, token: _token, ...rest } = options;
      return createVectronClient({ ...rest, ...credentials } as VectronClientOptions);
    },
    ...createCollectionCalls(vectron, call),
    ...createPointWrites({ vectron, call, maxBatchPoints: resolved.maxBatchPoints, format: resolved.format }),
    ...createPointReads(vectron, call, resolved.maxBatchPoints),
    snapshotShard: createShardSnapshot(vectron),
  };
}
