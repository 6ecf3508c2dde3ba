import { afterAll, expect, test } from "bun:test";
import { newAccount } from "./support/accounts";
import { connectClients } from "./support/connect-clients";
import { callJson, okJson } from "./support/connect-json";
import { grpcCall, grpcClients, grpcStatus } from "./support/grpc-clients";
import { tempDir } from "./support/temp-dir";
import { startVectronProcess, type VectronProcess } from "./support/vectron-process";

const SECRET = "observability-test-cluster-secret-0123456789";
const V = "vectron.v1.VectronService";
const COLLECTION = "obs-tenant-private-name";

const dir = tempDir("observability");
const workerDir = tempDir("observability-worker");
let proc: VectronProcess | undefined;
afterAll(async () => {
  await proc?.stop(10_000);
  dir.remove();
  workerDir.remove();
});

/** The samples of a Prometheus text exposition: name, labels, value. */
function parseMetrics(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  return text
    .split("\n")
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? "").matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
      return { name: match[1]!, labels, value: Number(match[3] === "+Inf" ? Infinity : match[3]) };
    });
}

function sample(samples: ReturnType<typeof parseMetrics>, name: string, labels: Record<string, string>): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

test("a single node: /healthz, /readyz, /metrics behind the cluster secret with RPC counts, latency histograms and shard gauges; JSON logs with request ids", async () => {
  proc = await startVectronProcess(dir.path, { env: { VECTRON_CLUSTER_SECRET: SECRET, VECTRON_LOG_LEVEL: "debug" } });
  const base = proc.baseUrl;

  for (const path of ["/healthz", "/health"]) {
    const response = await fetch(`${base}${path}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  }
  for (const path of ["/readyz", "/ready"]) {
    const response = await fetch(`${base}${path}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ready", checks: { started: "ok", database: "ok", worker: "ok" } });
  }

  // Refused without the secret, or with another one.
  expect((await fetch(`${base}/metrics`)).status).toBe(401);
  expect((await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${SECRET}x` } })).status).toBe(401);

  const account = await newAccount(base, "obs");
  await okJson(base, `${V}/CreateCollection`, { name: COLLECTION, dimension: 3, distance: "DISTANCE_EUCLIDEAN", shardCount: 2 }, account.apiKey);
  const point = (id: string, i: number) => ({ id, vector: [i, i + 1, i + 2], payload: { owner: account.email } });

  // Connect JSON: 1 upsert of 7 points, 3 searches (one with the client's request id), 2 not_found.
  await okJson(base, `${V}/Upsert`, { collection: COLLECTION, points: Array.from({ length: 7 }, (_, i) => point(`j${i}`, i)) }, account.apiKey);
  const traced = await fetch(`${base}/${V}/Search`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${account.apiKey}`, "x-request-id": "obs-trace.1_A" },
    body: JSON.stringify({ collection: COLLECTION, vector: [1, 2, 3], topK: 2 }),
  });
  expect(traced.status).toBe(200);
  expect(traced.headers.get("x-request-id")).toBe("obs-trace.1_A");
  for (let i = 0; i < 2; i++) await okJson(base, `${V}/Search`, { collection: COLLECTION, vector: [1, 2, 3], topK: 2 }, account.apiKey);
  // An id that is not sane (a space, a quote) is replaced; errors carry the id too.
  const insane = await fetch(`${base}/${V}/Search`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${account.apiKey}`, "x-request-id": 'bad id"' },
    body: JSON.stringify({ collection: "missing", vector: [1, 2, 3], topK: 2 }),
  });
  expect(insane.status).toBe(404);
  const generated = insane.headers.get("x-request-id");
  expect(generated).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
  expect((await callJson(base, `${V}/Search`, { collection: "missing", vector: [1, 2, 3], topK: 2 }, account.apiKey)).status).toBe(404);

  // Connect binary: 1 upsert of 5 points, 2 counts.
  const binary = connectClients(base, account.apiKey, "connect-binary").vectron;
  await binary.upsert({ collection: COLLECTION, points: Array.from({ length: 5 }, (_, i) => ({ id: `b${i}`, vector: [i, 0, 1] })) });
  for (let i = 0; i < 2; i++) expect((await binary.count({ collection: COLLECTION })).count).toBe(12n);

  // gRPC: 1 upsert of 4 points, 3 searches, 1 not_found.
  const grpc = grpcClients(proc.grpcAddress);
  const auth = { authorization: `Bearer ${account.apiKey}` };
  try {
    await grpcCall(grpc.vectron, "upsert", { collection: COLLECTION, points: Array.from({ length: 4 }, (_, i) => ({ id: `g${i}`, vector: [0, i, 1] })) }, auth);
    for (let i = 0; i < 3; i++) await grpcCall(grpc.vectron, "search", { collection: COLLECTION, vector: [1, 2, 3], topK: 2 }, auth);
    const missing = await grpcCall(grpc.vectron, "search", { collection: "missing", vector: [1, 2, 3], topK: 2 }, auth).catch((err) => err);
    expect(missing.code).toBe(grpcStatus.NOT_FOUND);
  } finally {
    grpc.close();
  }

  const scraped = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${SECRET}` } });
  expect(scraped.status).toBe(200);
  expect(scraped.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  const text = await scraped.text();
  // Nothing per user: no collection name, no email, no key.
  expect(text).not.toContain(COLLECTION);
  expect(text).not.toContain(account.email);
  expect(text).not.toContain(account.apiKey);
  const samples = parseMetrics(text);
  const requests = (method: string, protocol: string, code: string) => sample(samples, "vectron_rpc_requests_total", { service: V, method, protocol, code });
  expect(requests("Upsert", "connect_json", "ok")).toBe(1);
  expect(requests("Upsert", "connect_proto", "ok")).toBe(1);
  expect(requests("Upsert", "grpc", "ok")).toBe(1);
  expect(requests("Search", "connect_json", "ok")).toBe(3);
  expect(requests("Search", "connect_json", "not_found")).toBe(2);
  expect(requests("Search", "grpc", "ok")).toBe(3);
  expect(requests("Search", "grpc", "not_found")).toBe(1);
  expect(requests("Count", "connect_proto", "ok")).toBe(2);
  expect(sample(samples, "vectron_rpc_requests_total", { service: "vectron.auth.v1.AuthService", method: "RegisterUser", protocol: "connect_json", code: "ok" })).toBe(1);

  // Histograms: buckets cumulative over increasing bounds, +Inf = _count = the calls answered.
  for (const [method, protocol, calls] of [["Search", "connect_json", 5], ["Search", "grpc", 4], ["Count", "connect_proto", 2]] as const) {
    const labels = { service: V, method, protocol };
    const buckets = samples.filter((s) => s.name === "vectron_rpc_duration_seconds_bucket" && s.labels.method === method && s.labels.protocol === protocol && s.labels.service === V);
    expect(buckets.length).toBe(19);
    const bounds = buckets.map((b) => (b.labels.le === "+Inf" ? Infinity : Number(b.labels.le)));
    expect(bounds).toEqual([...bounds].sort((a, b) => a - b));
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
    expect(buckets.at(-1)!.value).toBe(calls);
    expect(sample(samples, "vectron_rpc_duration_seconds_count", labels)).toBe(calls);
    expect(sample(samples, "vectron_rpc_duration_seconds_sum", labels)).toBeGreaterThan(0);
  }
  expect(sample(samples, "vectron_rpc_in_flight", { service: V, method: "Search" })).toBe(0);

  // Shards: two of them, 7 + 5 + 4 points in all, each with its last sequence and an index estimate.
  const points = samples.filter((s) => s.name === "vectron_shard_points");
  expect(points).toHaveLength(2);
  expect(points.reduce((sum, s) => sum + s.value, 0)).toBe(16);
  for (const shard of points) {
    expect(shard.labels.collection_id).toMatch(/^[0-9a-f-]{36}$/);
    const labels = { collection_id: shard.labels.collection_id!, shard: shard.labels.shard! };
    expect(sample(samples, "vectron_shard_last_applied_sequence", labels)).toBeGreaterThanOrEqual(shard.value > 0 ? 1 : 0);
    expect(sample(samples, "vectron_shard_index_memory_bytes", labels)).toBe(shard.value * (4 * 3 + 2 * 16 * 4 + 16));
    expect(sample(samples, "vectron_shard_primary", labels)).toBe(1);
  }
  expect(sample(samples, "vectron_placement_leader", {})).toBe(1);
  expect(sample(samples, "vectron_placement_workers", { state: "live" })).toBe(1);
  expect(sample(samples, "vectron_placement_shards", {})).toBe(2);
  expect(sample(samples, "vectron_placement_shards_without_primary", {})).toBe(0);
  expect(sample(samples, "vectron_process_resident_memory_bytes", {})).toBeGreaterThan(0);

  // Logs: every line one JSON object; the access lines carry the ids the clients saw.
  const lines = proc.output().split("\n").filter(Boolean).map((line) => JSON.parse(line));
  for (const line of lines) expect(Object.keys(line).slice(0, 3)).toEqual(["time", "level", "msg"]);
  expect(lines.some((line) => /^vectron listening http=/.test(line.msg))).toBe(true);
  const access = lines.filter((line) => line.msg === "rpc");
  expect(access.find((line) => line.requestId === "obs-trace.1_A")).toMatchObject({ level: "debug", service: V, method: "Search", protocol: "connect_json", code: "ok" });
  expect(access.find((line) => line.requestId === generated)).toMatchObject({ method: "Search", code: "not_found" });
  expect(access.filter((line) => line.method === "Upsert").map((line) => line.protocol).sort()).toEqual(["connect_json", "connect_proto", "grpc"]);
  expect(typeof access[0].durationMs).toBe("number");
});

test("a worker node whose placement does not answer: /healthz 200, /readyz 503 saying what is not ready", async () => {
  const [port, grpcPort, placementPort] = await freePorts(3);
  const child = Bun.spawn(
    [process.execPath, "apps/vectron/src/main.ts", "serve", "--roles", "worker", "--placement", `http://127.0.0.1:${placementPort}`, "--port", String(port), "--grpc-port", String(grpcPort), "--data-dir", workerDir.path],
    { env: { ...process.env, VECTRON_CLUSTER_SECRET: SECRET }, stdout: "pipe", stderr: "pipe" },
  );
  try {
    const base = `http://127.0.0.1:${port}`;
    let alive: Response | undefined;
    for (let i = 0; i < 200 && !alive; i++) alive = await fetch(`${base}/healthz`).catch(() => Bun.sleep(100).then(() => undefined));
    expect(alive?.status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { status: string; checks: Record<string, string> };
    expect(body.status).toBe("unavailable");
    expect(body.checks.started).toBe("starting or shutting down");
    expect((await fetch(`${base}/ready`)).status).toBe(503);
  } finally {
    child.kill("SIGKILL");
    await child.exited;
  }
});

async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } }));
  const ports = servers.map((server) => server.port);
  for (const server of servers) server.stop(true);
  return ports;
}
