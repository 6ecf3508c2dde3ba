import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appendFileSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createVectronClient, type VectronClient } from "@vectron/client";
import { loadSift } from "@vectron/datasets";
import { newAccount } from "./support/accounts";
import { allPoints, siftFilePoints, type FilePoint } from "./support/sift-point-files";
import { tempDir } from "./support/temp-dir";
import { runVectronCli } from "./support/vectron-cli";
import { startVectronProcess, type VectronProcess } from "./support/vectron-process";

/**
 * `vectron collections`, `export` and `snapshot` against a real `vectron serve` process:
 * what export writes imports back identically, and a snapshot restored under another
 * name is the same collection (configuration, payload indexes, points).
 */
describe("vectron collections, export and snapshot", () => {
  const dir = tempDir("cli-export");
  let server: VectronProcess;
  let points: FilePoint[];
  let client: VectronClient;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runVectronCli(args, env);

  beforeAll(async () => {
    const [started, sift] = await Promise.all([startVectronProcess(join(dir.path, "data")), loadSift()]);
    server = started;
    points = siftFilePoints(sift);
    const account = await newAccount(server.baseUrl, "cli-export");
    client = createVectronClient({ baseUrl: server.baseUrl, apiKey: account.apiKey });
    env = { VECTRON_API_KEY: account.apiKey };
    const created = await runVectronCli(
      ["collections", "create", "source", "--dimension", "128", "--metric", "euclidean", "--shards", "3", "--payload-index", "bucket:integer", "--payload-index", "label:keyword", "--url", server.baseUrl],
      env,
    );
    expect(created).toMatchObject({ exitCode: 0, stdout: "created source: dimension 128, euclidean, 3 shard(s) x 1 replica(s)\n" });
    await client.upsert("source", points);
    env = { ...env, VECTRON_URL: server.baseUrl };
  }, 60_000);
  afterAll(async () => {
    await server?.terminate();
    dir.remove();
  });

  test("export writes every point as JSONL; importing it into another collection gives identical points", async () => {
    const file = join(dir.path, "source.jsonl");
    const exported = await cli("export", "source", "--out", file);
    expect(exported).toMatchObject({ exitCode: 0, stdout: `exported 4500 points from source to ${file}\n` });
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(4500);
    const first = JSON.parse(lines[0]!);
    expect(Object.keys(first)).toEqual(["id", "vector", "payload"]);

    await cli("collections", "create", "copy", "--dimension", "128", "--metric", "euclidean");
    const imported = await cli("import", "copy", file);
    expect(imported.exitCode).toBe(0);
    expect(await allPoints(client, "copy")).toEqual(await allPoints(client, "source"));

    // A filter, without vectors, to standard output.
    const filtered = await cli("export", "source", "--with-vectors", "false", "--filter", '{"must":[{"key":"bucket","match":{"value":3}}]}');
    expect(filtered.exitCode).toBe(0);
    const bucket3 = filtered.stdout.trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(bucket3).toHaveLength(points.filter((p) => p.payload.bucket === 3).length);
    expect(bucket3.every((p) => p.vector === undefined && p.payload.bucket === 3)).toBe(true);
    expect(filtered.stderr).toContain(`exported ${bucket3.length} points from source`);
  }, 120_000);

  test("snapshot then restore under another name: same configuration, payload indexes and points", async () => {
    const snapshotDir = join(dir.path, "snapshot");
    const created = await cli("snapshot", "create", "source", "--out", snapshotDir);
    expect(created).toMatchObject({ exitCode: 0, stderr: "" });
    expect(readdirSync(snapshotDir).sort()).toEqual(["collection.json", "manifest.json", "shard-0.sqlite", "shard-1.sqlite", "shard-2.sqlite"]);
    const manifest = JSON.parse(readFileSync(join(snapshotDir, "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({ version: 2, kind: "sqlite", collection: "source", points: 4500 });
    expect(manifest.shards.map((s: { file: string }) => s.file)).toEqual(["shard-0.sqlite", "shard-1.sqlite", "shard-2.sqlite"]);
    const shardPoints: number[] = manifest.shards.map((s: { points: number }) => s.points);
    expect(shardPoints.every((n) => n > 0)).toBe(true);
    expect(shardPoints.reduce((a, b) => a + b, 0)).toBe(4500);

    const restored = await cli("snapshot", "restore", snapshotDir, "--as", "restored");
    expect(restored).toMatchObject({ exitCode: 0, stdout: "restored source as restored: 4500 points, 2 payload index(es)\n" });
    const [source, copy] = await Promise.all([client.getCollection("source"), client.getCollection("restored")]);
    const configOf = (c: typeof source) => ({ dimension: c.dimension, metric: c.metric, shards: c.shards, replicationFactor: c.replicationFactor, payloadIndexes: c.payloadIndexes, pointCount: c.pointCount });
    expect(configOf(copy)).toEqual(configOf(source));
    expect(copy.shards).toBe(3);
    expect(await allPoints(client, "restored")).toEqual(await allPoints(client, "source"));

    // The same name again: the collection exists, nothing is overwritten.
    const again = await cli("snapshot", "restore", snapshotDir, "--as", "restored");
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain("already_exists");

    // A damaged shard file is refused before anything is created.
    appendFileSync(join(snapshotDir, "shard-1.sqlite"), "x");
    const damaged = await cli("snapshot", "restore", snapshotDir, "--as", "damaged");
    expect(damaged.exitCode).toBe(1);
    expect(damaged.stderr).toContain("shard-1.sqlite does not match the manifest");
    expect((await client.listCollections()).map((c) => c.name)).not.toContain("damaged");
  }, 120_000);

  test("collections ls lists them; rm deletes one", async () => {
    const listed = await cli("collections", "ls");
    expect(listed.exitCode).toBe(0);
    const rows = listed.stdout.trimEnd().split("\n").map((line) => line.split(/\s{2,}/));
    expect(rows[0]).toEqual(["name", "dimension", "metric", "points", "shards", "replicas", "payload indexes"]);
    expect(rows.slice(1)).toEqual([
      ["copy", "128", "euclidean", "4500", "1", "1", "-"],
      ["restored", "128", "euclidean", "4500", "3", "1", "bucket:integer,label:keyword"],
      ["source", "128", "euclidean", "4500", "3", "1", "bucket:integer,label:keyword"],
    ]);
    expect(await cli("collections", "rm", "copy")).toMatchObject({ exitCode: 0, stdout: "deleted copy\n" });
    expect((await client.listCollections()).map((c) => c.name)).toEqual(["restored", "source"]);

    const noKey = await runVectronCli(["collections", "ls", "--url", server.baseUrl], { VECTRON_API_KEY: "" });
    expect(noKey.exitCode).toBe(1);
    expect(noKey.stderr).toContain("no API key: pass --api-key <key> or set VECTRON_API_KEY");
  }, 120_000);
});
