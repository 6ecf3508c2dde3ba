import { afterAll, expect, test } from "bun:test";
import { newAccount } from "./support/accounts";
import { callJson, okJson, type JsonReply } from "./support/connect-json";
import { grpcCall, grpcClients, grpcStatus } from "./support/grpc-clients";
import { tempDir } from "./support/temp-dir";
import { runVectronCli } from "./support/vectron-cli";
import { startVectronProcess, type VectronProcess } from "./support/vectron-process";

const RATE = 20;
/** Free: 20 requests/s in bursts of 20, one collection. Paid: 1000/s, two collections. */
const env = {
  VECTRON_PLAN_FREE_REQUESTS_PER_SECOND: String(RATE),
  VECTRON_PLAN_FREE_BURST: String(RATE),
  VECTRON_PLAN_FREE_MAX_COLLECTIONS: "1",
  VECTRON_PLAN_PAID_REQUESTS_PER_SECOND: "1000",
  VECTRON_PLAN_PAID_BURST: "1000",
  VECTRON_PLAN_PAID_MAX_COLLECTIONS: "2",
};
const HINT = /; retry after (\d+) ms$/;
const V = "vectron.v1.VectronService";

const dir = tempDir("quotas-process");
let proc: VectronProcess | undefined;
afterAll(async () => {
  await proc?.stop(10_000);
  dir.remove();
});

/** One Connect JSON call that must be answered within 30 s (a hang fails the test). */
async function call(path: string, body: unknown, key: string): Promise<JsonReply> {
  const response = await fetch(`${proc!.baseUrl}/${V}/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

test("a burst of 10x the rate limit at a live vectron serve: every call answered, admitted or refused with a retry hint; the server stays up", async () => {
  proc = await startVectronProcess(dir.path, { env });
  const account = await newAccount(proc.baseUrl, "burst");
  await okJson(proc.baseUrl, `${V}/CreateCollection`, { name: "b", dimension: 2, distance: "DISTANCE_EUCLIDEAN", shardCount: 2 }, account.apiKey);
  await okJson(proc.baseUrl, `${V}/Upsert`, { collection: "b", points: [{ id: "p0", vector: [0, 1] }] }, account.apiKey);
  await Bun.sleep(1000 + 100); // the bucket refills (burst / rate = 1 s)

  // 200 calls at once, 10x the rate: searches, upserts and counts over Connect JSON, and gRPC.
  const grpc = grpcClients(proc.grpcAddress);
  const started = performance.now();
  const overJson = Array.from({ length: 160 }, (_, i) =>
    i % 4 === 1
      ? call("Upsert", { collection: "b", points: [{ id: `p${i}`, vector: [i, 1] }] }, account.apiKey)
      : i % 4 === 2
        ? call("Count", { collection: "b" }, account.apiKey)
        : call("Search", { collection: "b", vector: [1, 1], topK: 3 }, account.apiKey),
  );
  const overGrpc = Array.from({ length: 40 }, () =>
    grpcCall(grpc.vectron, "search", { collection: "b", vector: [1, 1], topK: 3 }, { authorization: `Bearer ${account.apiKey}` }).then(
      () => undefined,
      (err) => err,
    ),
  );
  const [jsonReplies, grpcErrors] = await Promise.all([Promise.all(overJson), Promise.all(overGrpc)]);
  const elapsedMs = performance.now() - started;
  grpc.close();

  let admitted = 0;
  for (const reply of jsonReplies) {
    if (reply.status === 200) {
      admitted++;
      continue;
    }
    expect(reply.status).toBe(429);
    expect(reply.body.code).toBe("resource_exhausted");
    expect(reply.body.message).toMatch(HINT);
  }
  for (const err of grpcErrors) {
    if (!err) {
      admitted++;
      continue;
    }
    expect(err.code).toBe(grpcStatus.RESOURCE_EXHAUSTED);
    expect(Number(err.metadata.get("retry-after-ms")[0])).toBeGreaterThanOrEqual(1);
  }
  expect(admitted).toBeGreaterThanOrEqual(RATE);
  expect(admitted).toBeLessThanOrEqual(RATE + (RATE * elapsedMs) / 1000);

  // Still up, and once the bucket has refilled (1 s), a full burst is admitted again.
  expect(await Promise.race([proc.exited.then(() => "exited"), Bun.sleep(0).then(() => "running")])).toBe("running");
  expect((await fetch(`${proc.baseUrl}/health`)).status).toBe(200);
  await Bun.sleep(1000 + 100);
  for (let i = 0; i < RATE; i++) expect((await call("Search", { collection: "b", vector: [1, 1], topK: 3 }, account.apiKey)).status).toBe(200);
  expect(proc.output()).not.toContain("internal error");
}, 120_000);

test("an embedded node's user moves to the paid plan while the node is stopped", async () => {
  const account = await newAccount(proc!.baseUrl, "upgrade");
  await okJson(proc!.baseUrl, `${V}/CreateCollection`, { name: "one", dimension: 2, distance: "DISTANCE_DOT" }, account.apiKey);
  const second = { name: "two", dimension: 2, distance: "DISTANCE_DOT" };
  const refused = await callJson(proc!.baseUrl, `${V}/CreateCollection`, second, account.apiKey);
  expect(refused.status).toBe(429);
  expect(refused.body.message).toContain("collection quota: the free plan allows 1 collections per user");

  // PGlite serves one process: the command refuses while the node has it open.
  const whileRunning = await runVectronCli(["users", "set-plan", account.email, "paid", "--data-dir", dir.path]);
  expect(whileRunning.exitCode).toBe(1);
  expect(whileRunning.stderr).toContain("is in use: stop vectron serve");
  expect(await proc!.terminate()).toBe(0);

  const setPlan = await runVectronCli(["users", "set-plan", account.email, "paid", "--data-dir", dir.path]);
  expect(setPlan.stdout).toContain(`${account.email}: plan free -> paid`);
  expect(setPlan.exitCode).toBe(0);
  const listed = await runVectronCli(["users", "ls", "--data-dir", dir.path]);
  expect(listed.stdout).toMatch(new RegExp(`${account.email.replace(/\./g, "\\.")}\\s+paid\\s+1\\s+1\\s`));

  proc = await startVectronProcess(dir.path, { env });
  await okJson(proc.baseUrl, `${V}/CreateCollection`, second, account.apiKey);
  const third = await callJson(proc.baseUrl, `${V}/CreateCollection`, { ...second, name: "three" }, account.apiKey);
  expect(third.body.message).toContain("collection quota: the paid plan allows 2 collections per user");
  // The paid plan's rate admits what the free one refused.
  const burst = await Promise.all(Array.from({ length: 10 * RATE }, () => call("ListCollections", {}, account.apiKey)));
  expect(burst.map((reply) => reply.status).filter((status) => status !== 200)).toEqual([]);
}, 120_000);
