import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ConnectError } from "@connectrpc/connect";
import { createInternalClient } from "@vectron/internal-client";
import { PlacementService } from "@vectron/proto/placement/v1";
import { createVectronClient } from "../packages/client/src/index.ts";
import { grpcCall, grpcClients } from "./support/grpc-clients";
import { waitForConvergence } from "./support/cluster-checks";
import { createTestCertificates, type TestCertificates } from "./support/test-certificates";
import { tempDir } from "./support/temp-dir";
import { TestCluster, type ClusterNode } from "./support/test-cluster";

/** A Connect JSON call over fetch, trusting `ca` (undefined: the system's CAs, as curl would). */
async function connectJson(baseUrl: string, path: string, body: unknown, options: { ca?: string; token?: string } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${baseUrl}/${path}`, {
    method: "POST",
    headers,
    body: JSON.stringify(body),
    ...(options.ca ? { tls: { ca: options.ca } } : {}),
  });
  const reply = (await response.json()) as any;
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(reply)}`);
  return reply;
}

/**
 * The gRPC address to dial over TLS: grpc-js on Bun would send an IP address as the TLS
 * server name, which Bun refuses, so the name the certificate also holds is used.
 */
function grpcTlsAddress(node: ClusterNode): string {
  return node.process.grpcAddress.replace("127.0.0.1", "localhost");
}

/** How a request ended: "answered <status>" or "failed <error code>". */
function outcomeOf(request: Promise<Response>): Promise<string> {
  return request.then(
    (response) => `answered ${response.status}`,
    (err: { code?: string }) => `failed ${err.code ?? String(err)}`,
  );
}

/**
 * A cluster over TLS: one placement process and two workers (auth, worker, api), every
 * one given the same throwaway CA's certificate. The public ports answer HTTPS and gRPC
 * over TLS only to clients trusting that CA, and the nodes reach each other over https
 * (registration, placement sync, routing, replication).
 */
describe("TLS on the public ports and between nodes", () => {
  const dir = tempDir("tls");
  let certs: TestCertificates;
  let cluster: TestCluster;
  let api: ClusterNode;
  let other: ClusterNode;
  const account = { email: `tls-${Date.now()}@example.com`, password: "a long tls password", token: "", key: "", userId: "" };

  beforeAll(async () => {
    certs = createTestCertificates(dir.path);
    cluster = await TestCluster.start({
      placements: 1,
      workers: 2,
      env: { VECTRON_TLS_CERT: certs.certFile, VECTRON_TLS_KEY: certs.keyFile, VECTRON_TLS_CA: certs.caFile },
    });
    [api, other] = cluster.workers as [ClusterNode, ClusterNode];
  }, 90_000);
  afterAll(async () => {
    await cluster?.stop();
    dir.remove();
  });

  test("Connect JSON over HTTPS works for a client trusting the CA, and fails for one that does not", async () => {
    expect(api.baseUrl).toStartWith("https://");
    const { user } = await connectJson(api.baseUrl, "vectron.auth.v1.AuthService/RegisterUser", { email: account.email, password: account.password }, { ca: certs.ca });
    expect(user.email).toBe(account.email);
    account.userId = user.id;
    account.token = (await connectJson(api.baseUrl, "vectron.auth.v1.AuthService/Login", { email: account.email, password: account.password }, { ca: certs.ca })).token;
    account.key = (await connectJson(api.baseUrl, "vectron.auth.v1.AuthService/CreateAPIKey", { name: "tls" }, { ca: certs.ca, token: account.token })).key;
    expect(account.key).toBeTruthy();

    const untrusted = connectJson(api.baseUrl, "vectron.auth.v1.AuthService/Login", { email: account.email, password: account.password });
    expect(await untrusted.then(() => "answered", (err: { code?: string }) => err.code)).toMatch(/UNABLE_TO_VERIFY|SELF_SIGNED|CERT/);
  });

  test("gRPC over TLS works for a client trusting the CA, and fails for one that does not", async () => {
    const trusting = grpcClients(grpcTlsAddress(api), { tls: { ca: certs.ca } });
    const systemTrust = grpcClients(grpcTlsAddress(api), { tls: {} });
    try {
      const login = await grpcCall(trusting.auth, "Login", { email: account.email, password: account.password });
      expect(login.token).toBeTruthy();
      const untrusted = await grpcCall(systemTrust.auth, "Login", { email: account.email, password: account.password }).then(
        () => "answered",
        (err: { code: number; details: string }) => `${err.code}: ${err.details}`,
      );
      expect(untrusted).toMatch(/^14: .*(certificate|CERT)/i); // UNAVAILABLE: the handshake failed
    } finally {
      trusting.close();
      systemTrust.close();
    }
  });

  test("plain HTTP and cleartext gRPC to the TLS ports get no answer from the API", async () => {
    const login = { email: account.email, password: account.password };
    const plain = (hostPort: string) =>
      outcomeOf(fetch(`http://${hostPort}/vectron.auth.v1.AuthService/Login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(login), signal: AbortSignal.timeout(10_000) }));
    expect(await plain(new URL(api.baseUrl).host)).toStartWith("failed");
    expect(await plain(api.process.grpcAddress)).toStartWith("failed");
    const cleartext = grpcClients(api.process.grpcAddress);
    try {
      const outcome = await grpcCall(cleartext.auth, "Login", login).then(() => "answered", (err: { code: number }) => err.code);
      expect(outcome).toBe(14); // UNAVAILABLE: no HTTP/2 cleartext on a TLS port
    } finally {
      cleartext.close();
    }
  });

  test("a node's internal client reaches the others over https only when it trusts their CA", async () => {
    const placement = cluster.placements[0]!;
    expect(placement.baseUrl).toStartWith("https://");
    const client = (trustedCa?: string) => createInternalClient(PlacementService, { baseUrls: [placement.baseUrl], clusterSecret: cluster.clusterSecret, timeoutMs: 5000, trustedCa });
    expect((await client(certs.ca).listWorkers({})).workers).toHaveLength(2);
    // Without it, the system's CAs: the handshake fails (fetch's error is the cause).
    const untrusted = await client().listWorkers({}).then(() => "answered", (err: ConnectError) => String((err.cause as { code?: string } | undefined)?.code));
    expect(untrusted).toMatch(/UNABLE_TO_VERIFY|SELF_SIGNED|CERT/);
  });

  test("the nodes work together over TLS: a replicated collection takes writes, answers searches on every node, and streams shard snapshots from the other node", async () => {
    const workers = await cluster.placementClient().listWorkers({});
    expect(workers.workers.map((w) => w.address).sort()).toEqual([api.baseUrl, other.baseUrl].sort());

    const name = "tls-docs";
    await connectJson(api.baseUrl, "vectron.v1.VectronService/CreateCollection", { name, dimension: 4, distance: "DISTANCE_EUCLIDEAN", shardCount: 2, replicationFactor: 2 }, { ca: certs.ca, token: account.key });
    const points = Array.from({ length: 40 }, (_, i) => ({ id: `p${i}`, vector: [i, i % 7, i % 3, 1], payload: { i } }));
    const { upserted } = await connectJson(api.baseUrl, "vectron.v1.VectronService/Upsert", { collection: name, points }, { ca: certs.ca, token: account.key });
    expect(upserted).toBe(points.length);

    // Both replicas of both shards hold the same content: replication ran over https.
    await waitForConvergence(cluster, { ownerId: account.userId, name }, 30_000);

    // Searched through the other node over gRPC/TLS: it scatters to both workers.
    const grpc = grpcClients(grpcTlsAddress(other), { tls: { ca: certs.ca } });
    try {
      const reply = await grpcCall(grpc.vectron, "Search", { collection: name, vector: [12, 5, 0, 1], topK: 3 }, { authorization: `Bearer ${account.key}` });
      expect(reply.results.map((hit: { id: string }) => hit.id)).toEqual(["p12", "p13", "p11"]);
      const count = await grpcCall(grpc.vectron, "Count", { collection: name }, { authorization: `Bearer ${account.key}` });
      expect(Number(count.count)).toBe(points.length);
    } finally {
      grpc.close();
    }

    // A snapshot of each shard through one node: the shard whose primary is on the other
    // node streams from that worker over https (the internal client's server stream).
    const { collection } = await connectJson(api.baseUrl, "vectron.v1.VectronService/GetCollection", { name }, { ca: certs.ca, token: account.key });
    const primaries = collection.shards.map((shard: { replicas: { role: string; address: string }[] }) =>
      shard.replicas.find((replica) => replica.role === "REPLICA_ROLE_PRIMARY")!.address,
    );
    expect(new Set(primaries).size).toBe(2); // one primary per worker: one stream is remote
    const trustingFetch = (input: string | URL | Request, init?: RequestInit) => fetch(input, { ...init, tls: { ca: certs.ca } });
    const client = createVectronClient({ baseUrl: api.baseUrl, apiKey: account.key, fetch: trustingFetch });
    let snapshotPoints = 0;
    for (const shard of [0, 1]) {
      const parts: Uint8Array[] = [];
      let pointCount = 0;
      for await (const chunk of client.snapshotShard(name, shard)) {
        parts.push(chunk.data);
        pointCount = chunk.pointCount;
      }
      const file = Buffer.concat(parts);
      expect(file.subarray(0, 15).toString()).toBe("SQLite format 3");
      snapshotPoints += pointCount;
    }
    expect(snapshotPoints).toBe(points.length);
  });
});
