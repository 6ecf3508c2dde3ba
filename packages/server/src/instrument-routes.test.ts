import { afterAll, expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { VectronService } from "@vectron/proto/v1";
import { startHttpServer } from "./http-server";
import { instrumentRoutes } from "./instrument-routes";
import { createLogger } from "./json-logger";
import { PrometheusText } from "./prometheus-text";
import { RpcMetrics } from "./rpc-metrics";
import { serviceRoute } from "./rpc-routes";

const lines: Record<string, unknown>[] = [];
const metrics = new RpcMetrics();
const routes = instrumentRoutes(
  {
    services: [serviceRoute(VectronService, { count: () => Promise.reject(new Error("disk controller said password=hunter2")) })],
    options: { readMaxBytes: 1 << 20 },
    toConnectError: (err) => ConnectError.from(err),
    deadlines: { maxMs: 60_000, defaultMs: 30_000 },
  },
  {
    metrics,
    log: createLogger({ level: "info", write: (line) => lines.push(JSON.parse(line)) }),
    // As serve.ts does: the cause goes to the log, a generic message to the client.
    toConnectError: (err, call) => {
      lines.push({ level: "error", msg: "internal error", ...call, err: (err as Error).message });
      return new ConnectError("internal error", Code.Internal);
    },
  },
);
const server = startHttpServer({ hostname: "127.0.0.1", port: 0, routes, fallback: () => new Response("", { status: 404 }) });
afterAll(() => server.stop());

test("an internal error: the client gets a generic message and a request id, the log line has the same id and the cause", async () => {
  const response = await fetch(`http://127.0.0.1:${server.port}/vectron.v1.VectronService/Count`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-request-id": "quote-me-42" },
    body: '{"collection":"c"}',
  });
  expect(response.status).toBe(500);
  expect(response.headers.get("x-request-id")).toBe("quote-me-42");
  const body = (await response.json()) as { code: string; message: string };
  expect(body).toEqual({ code: "internal", message: "internal error" });
  expect(lines).toContainEqual({ level: "error", msg: "internal error", requestId: "quote-me-42", service: "vectron.v1.VectronService", method: "Count", err: "disk controller said password=hunter2" });
  const text = new PrometheusText();
  metrics.write(text);
  expect(text.toString()).toContain('vectron_rpc_requests_total{service="vectron.v1.VectronService",method="Count",protocol="connect_json",code="internal"} 1\n');
});
