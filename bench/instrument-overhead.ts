/**
 * What instrumentRoutes (request id, RPC counters and histogram, access-log check) costs
 * per call: the same trivial Connect JSON call (Count, answered at once) against one
 * HTTP listener with and without it, in alternating rounds, from a client in this
 * process. `bun bench/instrument-overhead.ts [calls per round] [concurrency]`
 */
import { ConnectError } from "@connectrpc/connect";
import { VectronService } from "@vectron/proto/v1";
import { createLogger, instrumentRoutes, RpcMetrics, serviceRoute, startHttpServer, type RpcRoutes } from "@vectron/server";

const calls = Number(process.argv[2] ?? 5000);
const concurrency = Number(process.argv[3] ?? 16);
const plain: RpcRoutes = {
  services: [serviceRoute(VectronService, { count: () => ({ count: 1n }) })],
  options: { readMaxBytes: 1 << 20 },
  toConnectError: (err) => ConnectError.from(err),
  deadlines: { maxMs: 60_000, defaultMs: 30_000 },
};
const instrumented = instrumentRoutes(plain, { metrics: new RpcMetrics(), log: createLogger({ level: "info" }), toConnectError: (err) => ConnectError.from(err) });
const fallback = () => new Response("", { status: 404 });
const servers = { plain: startHttpServer({ hostname: "127.0.0.1", port: 0, routes: plain, fallback }), instrumented: startHttpServer({ hostname: "127.0.0.1", port: 0, routes: instrumented, fallback }) };

async function round(port: number): Promise<number> {
  const url = `http://127.0.0.1:${port}/vectron.v1.VectronService/Count`;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < calls) {
        const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: '{"collection":"c"}' });
        if (response.status !== 200) throw new Error(`answered ${response.status}`);
        await response.arrayBuffer();
      }
    }),
  );
  return calls / ((performance.now() - started) / 1000);
}

const results: Record<keyof typeof servers, number[]> = { plain: [], instrumented: [] };
await round(servers.plain.port); // warm-up
await round(servers.instrumented.port);
for (let i = 0; i < 5; i++) {
  for (const name of ["plain", "instrumented"] as const) results[name].push(await round(servers[name].port));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
for (const name of ["plain", "instrumented"] as const) {
  console.log(`${name.padEnd(12)} median ${median(results[name]).toFixed(0)} calls/s (${calls} calls x 5 rounds, concurrency ${concurrency}; rounds: ${results[name].map((r) => r.toFixed(0)).join(", ")})`);
}
console.log(`overhead: ${((1 - median(results.instrumented) / median(results.plain)) * 100).toFixed(1)}% fewer calls/s; ${((1e6 / median(results.instrumented) - 1e6 / median(results.plain)) * concurrency).toFixed(1)} µs more per call at this concurrency`);
await Promise.all([servers.plain.stop(), servers.instrumented.stop()]);
