import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect as tcpConnect } from "node:net";
import { create, fromBinary, fromJson, toBinary, type DescMethod, type DescService, type Message } from "@bufbuild/protobuf";
import { ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import fc from "fast-check";
import { AuthService } from "@vectron/proto/auth/v1";
import { VectronService } from "@vectron/proto/v1";
import { okJson } from "./support/connect-json";
import { postConnect } from "./support/connect-raw";
import { assertWithSeed } from "./support/fuzz-seed";
import { authRequests, vectronRequests, type FuzzRequest } from "./support/fuzz-requests";
import { expectCanaryAnswers, expectVictimUnchanged, restoreFuzzerCollections, setUpFuzzTenants, type FuzzTenants } from "./support/fuzz-tenants";
import { byteMutations, deepPayloadUpsert, invalidUtf8InFieldOne, lengthPastTheEnd, protobufNoise } from "./support/hostile-protobuf";
import { jsonMutations } from "./support/json-mutations";
import { grpcEnvelope, RawGrpcChannel } from "./support/raw-grpc";
import { connectAnswerProblem, grpcStatusProblem } from "./support/rpc-answer-checks";
import { tempDir } from "./support/temp-dir";
import { startVectronProcess, type VectronProcess } from "./support/vectron-process";

const FILE = "test/fuzz.test.ts";
/** Runs per property: enough to reach every method with many shapes, within ~90 s on 2 busy cores. */
const RUNS = { connectJson: 2500, connectBinary: 2000, grpc: 1500, rawGrpc: 800, rawTcp: 60 };
/**
 * Every this many runs, the server must still be alive, answer the canary's search and
 * hold B's data unchanged (and A's collections are restored, so that requests keep
 * reaching real shards).
 */
const HEALTH_EVERY = 50;

const services: DescService[] = [VectronService, AuthService];

function methodOf(service: string, name: string): DescMethod {
  const method = services.find((s) => s.typeName === service)?.methods.find((m) => m.name === name);
  if (!method) throw new Error(`no method ${service}/${name}`);
  return method;
}

/** The request as the generated schema reads it (unknown fields ignored), or an empty one if it cannot. */
function asMessage(request: FuzzRequest): { method: DescMethod; message: Message } {
  const method = methodOf(request.service, request.method);
  try {
    return { method, message: fromJson(method.input, request.body as never, { ignoreUnknownFields: true }) };
  } catch {
    return { method, message: create(method.input) };
  }
}

/** A method of a generated client, called with any request message. */
type UnaryCall = (message: Message, options: { headers: Record<string, string>; timeoutMs: number }) => Promise<Message>;

/** Numbers JSON cannot carry, put where only binary encodings can: payload Struct values. */
function withNonJsonNumbers(message: any): void {
  for (const point of message.points ?? []) if (point.payload) point.payload.notANumber = Number.NaN;
  if (message.payload) message.payload.infinite = Number.POSITIVE_INFINITY;
}

/**
 * `vectron serve` as a real process, fed valid and invalid requests for every public RPC
 * over Connect JSON, Connect binary and gRPC by user A, while users B (the victim) and C
 * (the canary) hold data. Properties: the process stays up and answers C's known search;
 * no request gets `internal`/`unknown` (or any code that is not about the input), an HTTP
 * 5xx or a body that is not Connect's; no answer to A holds anything of B's or C's; B's
 * data is exactly what B wrote; and A's normal requests work afterwards.
 */
describe("fuzzing a live vectron serve (Connect JSON, Connect binary, gRPC)", () => {
  const dir = tempDir("fuzz");
  let proc: VectronProcess;
  let tenants: FuzzTenants;
  let exited: number | undefined;
  let runs = 0;

  beforeAll(async () => {
    proc = await startVectronProcess(dir.path);
    void proc.exited.then((code) => (exited = code));
    tenants = await setUpFuzzTenants(proc.baseUrl);
  }, 60_000);
  afterAll(async () => {
    await proc?.stop(5000);
    dir.remove();
  });

  /** The process is up, C's search finds the known nearest point, and B's data is exactly B's. */
  async function expectHealthy(): Promise<void> {
    expect(exited, `vectron serve exited:\n${proc.output().slice(-3000)}`).toBeUndefined();
    await expectCanaryAnswers(proc.baseUrl, tenants);
    await expectVictimUnchanged(proc.baseUrl, tenants);
  }

  async function afterEachRun(): Promise<void> {
    if (++runs % HEALTH_EVERY !== 0) return;
    await expectHealthy();
    await restoreFuzzerCollections(proc.baseUrl, tenants.fuzzer.apiKey);
  }

  /** Any request for any RPC, with one of A's credentials (or a broken one). */
  function fuzzerCalls(): fc.Arbitrary<{ request: FuzzRequest; token: string }> {
    const { fuzzer, pools } = tenants;
    const request = fc.oneof({ weight: 5, arbitrary: vectronRequests(pools) }, { weight: 1, arbitrary: authRequests(pools, fuzzer.email) });
    const broken = fc.oneof(
      fc.constant(""),
      fc.constant(`${fuzzer.session.slice(0, -3)}AAA`),
      fc.string({ unit: "grapheme-ascii", maxLength: 60 }),
      fc.string({ unit: "grapheme-ascii", minLength: 20, maxLength: 70 }).map((s) => `vk_${s}`),
    );
    return fc.tuple(request, fc.nat({ max: 11 }), broken).map(([request, pick, brokenToken]) => {
      const preferred = request.service === "vectron.v1.VectronService" ? fuzzer.apiKey : fuzzer.session;
      const other = request.service === "vectron.v1.VectronService" ? fuzzer.session : fuzzer.apiKey;
      return { request, token: pick < 9 ? preferred : pick === 9 ? other : brokenToken };
    });
  }

  test("the requests cover every public unary RPC of VectronService and AuthService", () => {
    const sampled = fc.sample(fuzzerCalls(), { numRuns: 3000, seed: 1 }).map(({ request }) => `${request.service}/${request.method}`);
    // The fuzzer speaks unary Connect and gRPC; streaming RPCs (SnapshotShard) meet the raw gRPC frames below.
    const every = services.flatMap((s) => s.methods.filter((m) => m.methodKind === "unary").map((m) => `${s.typeName}/${m.name}`));
    expect([...new Set(sampled)].sort()).toEqual(every.sort());
  });

  test("Connect JSON: any body, any field, to every RPC (fast path, and the generic handler for gzip bodies)", async () => {
    const property = fc.asyncProperty(fuzzerCalls(), jsonMutations, fc.nat({ max: 9 }), async ({ request, token }, mutate, gzipPick) => {
      const text = mutate(request.body);
      const path = `${request.service}/${request.method}`;
      const answer = await postConnect(proc.baseUrl, path, text, { binary: false, token, gzip: gzipPick === 0 });
      const context = `POST ${path} ${text.slice(0, 400)}`;
      expect(connectAnswerProblem(answer, methodOf(request.service, request.method).output, false) ?? "", context).toBe("");
      expect(tenants.secrets.leakIn(answer.body, text) ?? "", `leak in the answer to ${context}`).toBe("");
      await afterEachRun();
    });
    await assertWithSeed("Connect JSON fuzzing", property, RUNS.connectJson, FILE);
    await expectHealthy();
  });

  test("Connect binary: generated messages with random values, damaged encodings, hostile protobuf", async () => {
    const dimension = tenants.pools.dimension;
    const hostile = fc.constantFrom(
      { service: VectronService.typeName, method: "Upsert", bytes: deepPayloadUpsert("mine", Array(dimension).fill(0.5), 20) },
      { service: VectronService.typeName, method: "Upsert", bytes: deepPayloadUpsert("mine", Array(dimension).fill(0.5), 49) },
      { service: VectronService.typeName, method: "Upsert", bytes: deepPayloadUpsert("mine", Array(dimension).fill(0.5), 3000) },
      { service: VectronService.typeName, method: "Search", bytes: invalidUtf8InFieldOne },
      { service: AuthService.typeName, method: "RegisterUser", bytes: invalidUtf8InFieldOne },
      { service: VectronService.typeName, method: "Get", bytes: lengthPastTheEnd },
    );
    const bodies = fc.oneof(
      {
        weight: 12,
        arbitrary: fc.tuple(fuzzerCalls(), byteMutations, fc.nat({ max: 5 })).map(([{ request, token }, mutate, special]) => {
          const { message } = asMessage(request);
          if (special === 0) withNonJsonNumbers(message);
          const method = methodOf(request.service, request.method);
          return { service: request.service as string, method: request.method, bytes: mutate(toBinary(method.input, message)), token };
        }),
      },
      { weight: 1, arbitrary: fc.tuple(fuzzerCalls(), protobufNoise).map(([{ request, token }, bytes]) => ({ service: request.service as string, method: request.method, bytes, token })) },
      { weight: 1, arbitrary: hostile.map((h) => ({ ...h, token: tenants.fuzzer.apiKey })) },
    );
    const property = fc.asyncProperty(bodies, fc.nat({ max: 9 }), async ({ service, method, bytes, token }, gzipPick) => {
      const path = `${service}/${method}`;
      const answer = await postConnect(proc.baseUrl, path, bytes, { binary: true, token, gzip: gzipPick === 0 });
      const context = `POST ${path} (proto) ${Buffer.from(bytes.subarray(0, 300)).toString("hex")}`;
      expect(connectAnswerProblem(answer, methodOf(service, method).output, true) ?? "", context).toBe("");
      expect(tenants.secrets.leakIn(answer.body, bytes) ?? "", `leak in the answer to ${context}`).toBe("");
      await afterEachRun();
    });
    await assertWithSeed("Connect binary fuzzing", property, RUNS.connectBinary, FILE);
    await expectHealthy();
  });

  test("gRPC through the generated clients: every RPC with random field values", async () => {
    const sessions = new Http2SessionManager(`http://${proc.grpcAddress}`);
    const transport = createGrpcTransport({ baseUrl: `http://${proc.grpcAddress}`, sessionManager: sessions });
    const clients = { [VectronService.typeName]: createClient(VectronService, transport), [AuthService.typeName]: createClient(AuthService, transport) };
    try {
      const property = fc.asyncProperty(fuzzerCalls(), fc.nat({ max: 5 }), async ({ request, token }, special) => {
        const { method, message } = asMessage(request);
        if (special === 0) withNonJsonNumbers(message);
        const call = (clients[request.service] as unknown as Record<string, UnaryCall>)[method.localName]!;
        const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
        const sent = toBinary(method.input, message);
        const context = `gRPC ${request.service}/${request.method} ${JSON.stringify(request.body)?.slice(0, 400)}`;
        let received: string;
        try {
          const reply = await call(message, { headers, timeoutMs: 30_000 });
          received = Buffer.from(toBinary(method.output, reply)).toString("latin1");
        } catch (err) {
          if (!(err instanceof ConnectError)) throw err;
          expect(grpcStatusProblem(err.code, err.rawMessage) ?? "", context).toBe("");
          received = `${err.rawMessage} ${JSON.stringify([...err.metadata])}`;
        }
        expect(tenants.secrets.leakIn(received, sent) ?? "", `leak in the answer to ${context}`).toBe("");
        await afterEachRun();
      });
      await assertWithSeed("gRPC fuzzing", property, RUNS.grpc, FILE);
    } finally {
      sessions.abort();
    }
    await expectHealthy();
  });

  test("gRPC raw frames: broken envelopes, flags, lengths, headers", async () => {
    const channel = new RawGrpcChannel(proc.grpcAddress);
    const paths = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...services.flatMap((s) => s.methods.map((m) => `/${s.typeName}/${m.name}`))) },
      { weight: 1, arbitrary: fc.constantFrom("/vectron.v1.VectronService/Nope", "/", "/vectron.worker.v1.WorkerService/CountPoints") },
    );
    const message = fc.oneof(protobufNoise, fc.uint8Array({ maxLength: 64 }), fc.constant(new Uint8Array()));
    const frames = fc.oneof(
      { weight: 4, arbitrary: message.map((m) => grpcEnvelope(m)) },
      { weight: 1, arbitrary: fc.tuple(message, fc.constantFrom(1, 2, 0x80, 0xff)).map(([m, flags]) => grpcEnvelope(m, flags)) },
      { weight: 1, arbitrary: fc.tuple(message, fc.constantFrom(0, 1, 2 ** 31, 2 ** 32 - 1)).map(([m, length]) => grpcEnvelope(m, 0, length)) },
      { weight: 1, arbitrary: fc.tuple(message, message).map(([a, b]) => Uint8Array.from([...grpcEnvelope(a), ...grpcEnvelope(b)])) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 8 }) },
    );
    const headers = fc.record(
      {
        authorization: fc.constantFrom(`Bearer ${tenants.fuzzer.apiKey}`, `Bearer ${tenants.fuzzer.session}`, "Bearer", "Basic eDp5", ""),
        "grpc-timeout": fc.constantFrom("1S", "100m", "99999999H", "garbage", "-1S", "0n"),
        "grpc-encoding": fc.constantFrom("identity", "gzip", "br", "snappy"),
        "content-type": fc.constantFrom("application/grpc", "application/grpc+proto", "application/grpc+json", "application/grpc-web", "text/plain"),
      },
      { requiredKeys: [] },
    );
    try {
      const property = fc.asyncProperty(paths, frames, headers, async (path, body, fields) => {
        const answer = await channel.call(path, body, fields);
        const context = `raw gRPC ${path} ${JSON.stringify(fields)} ${Buffer.from(body.subarray(0, 200)).toString("hex")}`;
        expect(answer.httpStatus, context).toBeLessThan(500);
        if (answer.httpStatus === 200) {
          expect(answer.grpcStatus, `${context}: no grpc-status`).toBeDefined();
          expect(grpcStatusProblem(answer.grpcStatus!, answer.grpcMessage, { ownDeadline: "grpc-timeout" in fields }) ?? "", context).toBe("");
        }
        expect(tenants.secrets.leakIn(answer.received, body) ?? "", `leak in the answer to ${context}`).toBe("");
        await afterEachRun();
      });
      await assertWithSeed("raw gRPC fuzzing", property, RUNS.rawGrpc, FILE);
    } finally {
      channel.close();
    }
    await expectHealthy();
  });

  test("raw bytes on both listening sockets: truncated HTTP/2 prefaces, HTTP/1 garbage, noise", async () => {
    const preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    const payloads = fc.oneof(
      fc.uint8Array({ maxLength: 256 }),
      fc.nat({ max: preface.length }).map((n) => Uint8Array.from(preface.subarray(0, n))),
      fc.uint8Array({ maxLength: 64 }).map((tail) => Uint8Array.from([...preface, ...tail])),
      fc.constantFrom(
        "POST /vectron.v1.VectronService/Search HTTP/1.1\r\nHost: x\r\nContent-Length: 99999\r\n\r\n{",
        "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "POST /vectron.v1.VectronService/Search HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
      ).map((text) => new TextEncoder().encode(text)),
    );
    const ports = [new URL(proc.baseUrl).port, proc.grpcAddress.split(":")[1]!].map(Number);
    const property = fc.asyncProperty(payloads, fc.constantFrom(...ports), async (bytes, port) => {
      await new Promise<void>((resolve) => {
        const socket = tcpConnect(port, "127.0.0.1", () => socket.end(bytes));
        socket.on("data", () => {});
        socket.on("error", () => resolve());
        socket.on("close", () => resolve());
        socket.setTimeout(2000, () => socket.destroy());
      });
    });
    await assertWithSeed("raw socket fuzzing", property, RUNS.rawTcp, FILE);
    await expectHealthy();
  });

  test("afterwards: B's data is exactly what B wrote, and A's normal requests work over every protocol", async () => {
    await expectHealthy();
    const { apiKey } = tenants.fuzzer;
    const name = `after-${Date.now()}`;
    await okJson(proc.baseUrl, "vectron.v1.VectronService/CreateCollection", { name, dimension: 2, distance: "DISTANCE_EUCLIDEAN", shardCount: 2 }, apiKey);
    const points = [
      { id: "near", vector: [1, 1], payload: { which: "near" } },
      { id: "far", vector: [9, 9], payload: { which: "far" } },
    ];
    expect((await okJson(proc.baseUrl, "vectron.v1.VectronService/Upsert", { collection: name, points }, apiKey)).upserted).toBe(2);
    const json = await okJson(proc.baseUrl, "vectron.v1.VectronService/Search", { collection: name, vector: [1.2, 0.9], topK: 1 }, apiKey);
    expect(json.results.map((r: any) => [r.id, r.payload])).toEqual([["near", { which: "near" }]]);
    const sessions = new Http2SessionManager(`http://${proc.grpcAddress}`);
    try {
      const grpc = createClient(VectronService, createGrpcTransport({ baseUrl: `http://${proc.grpcAddress}`, sessionManager: sessions }));
      const viaGrpc = await grpc.search({ collection: name, vector: [8, 8.5], topK: 1 }, { headers: { authorization: `Bearer ${apiKey}` } });
      expect(viaGrpc.results.map((r) => r.id)).toEqual(["far"]);
    } finally {
      sessions.abort();
    }
    const count = VectronService.method.count;
    const binary = await postConnect(proc.baseUrl, `${VectronService.typeName}/Count`, toBinary(count.input, create(count.input, { collection: name })), { binary: true, token: apiKey });
    expect(binary.status).toBe(200);
    expect(fromBinary(count.output, binary.body).count).toBe(2n);
  });
});
