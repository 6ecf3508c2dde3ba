import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createVectronClient, type VectronClient } from "@vectron/client";
import { loadSift, type SiftSet } from "@vectron/datasets";
import { newAccount } from "./support/accounts";
import { allPoints, byId, siftFilePoints, writeJsonl, writeSiftCsv, type FilePoint } from "./support/sift-point-files";
import { tempDir } from "./support/temp-dir";
import { runVectronCli, startVectronCli } from "./support/vectron-cli";
import { startVectronProcess, type VectronProcess } from "./support/vectron-process";

/**
 * `vectron import` as a user runs it, against a real `vectron serve` process: JSONL and
 * CSV files of SIFT vectors, an import killed with SIGKILL and resumed, invalid lines.
 */
describe("vectron import", () => {
  const dir = tempDir("cli-import");
  let server: VectronProcess;
  let sift: SiftSet;
  let points: FilePoint[];
  let client: VectronClient;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runVectronCli(args, env);

  beforeAll(async () => {
    [server, sift] = await Promise.all([startVectronProcess(join(dir.path, "data")), loadSift()]);
    points = siftFilePoints(sift);
    const account = await newAccount(server.baseUrl, "cli-import");
    client = createVectronClient({ baseUrl: server.baseUrl, apiKey: account.apiKey });
    env = { VECTRON_URL: server.baseUrl, VECTRON_API_KEY: account.apiKey };
  }, 60_000);
  afterAll(async () => {
    await server?.terminate();
    dir.remove();
  });

  async function createCollection(name: string) {
    const created = await cli("collections", "create", name, "--dimension", "128", "--metric", "euclidean", "--shards", "2");
    expect(created).toMatchObject({ exitCode: 0, stderr: "" });
  }

  /** Each stored point equals the file's, and searching by a stored vector finds it at distance 0. */
  async function expectCollectionHolds(name: string, expected: FilePoint[], payloadOf = (p: FilePoint): object => p.payload) {
    const stored = await allPoints(client, name);
    expect(stored.map((p) => p.id)).toEqual(byId(expected).map((p) => p.id));
    const wanted = new Map(expected.map((p) => [p.id, p]));
    for (const point of stored) {
      expect(point.vector).toEqual(wanted.get(point.id)!.vector);
      expect(point.payload).toEqual(payloadOf(wanted.get(point.id)!) as never);
    }
    for (const probe of [expected[0]!, expected[1234]!, expected.at(-1)!]) {
      const hits = await client.search(name, probe.vector, { topK: 5 });
      expect(hits[0]!.score).toBe(0);
      expect(hits.filter((hit) => hit.score === 0).map((hit) => hit.id)).toContain(probe.id);
    }
  }

  test("a JSONL file: every point with its vector and payload, then searchable", async () => {
    const file = join(dir.path, "sift.jsonl");
    writeJsonl(file, points);
    await createCollection("sift_jsonl");
    const run = await cli("import", "sift_jsonl", file, "--batch-size", "500");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`imported 4500 points into sift_jsonl from ${file}`);
    // Not a terminal: plain progress lines, the last one at 100 %.
    expect(run.stderr).toMatch(/import sift\.jsonl: 100% .* 4,500 points/);
    expect(existsSync(`${file}.vectron-import.json`)).toBe(false);
    expect(await client.count("sift_jsonl")).toBe(4500);
    await expectCollectionHolds("sift_jsonl", points);
  }, 120_000);

  test("a CSV file with v0..v127 columns and payload columns", async () => {
    const file = join(dir.path, "sift.csv");
    writeSiftCsv(file, points);
    await createCollection("sift_csv");
    const run = await cli("import", "sift_csv", file);
    expect(run).toMatchObject({ exitCode: 0 });
    expect(run.stdout).toContain("imported 4500 points into sift_csv");
    await expectCollectionHolds("sift_csv", points, (p) => ({ bucket: p.payload.bucket, label: `${p.payload.label}, row ${p.payload.row}`, even: p.payload.even }));
  }, 120_000);

  test("killed with SIGKILL mid-way and resumed: every point of the file, each once", async () => {
    const twice = siftFilePoints(sift, 2); // 9,000 lines, so the kill lands mid-way
    const file = join(dir.path, "resume.jsonl");
    const statePath = `${file}.vectron-import.json`;
    writeJsonl(file, twice);
    await createCollection("sift_resume");
    const importing = startVectronCli(["import", "sift_resume", file, "--batch-size", "100"], env);
    let savedLine = 0;
    while (savedLine < 1500) {
      await Bun.sleep(5);
      if (existsSync(statePath)) savedLine = JSON.parse(readFileSync(statePath, "utf8")).line;
    }
    await importing.kill9();
    const state = JSON.parse(readFileSync(statePath, "utf8"));
    expect(state.line).toBeLessThan(twice.length); // it really was interrupted
    const before = await client.count("sift_resume");
    expect(before).toBeGreaterThanOrEqual(state.points);
    expect(before).toBeLessThan(twice.length);

    const refused = await cli("import", "sift_resume", file);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain("pass --resume to continue");

    const resumed = await cli("import", "sift_resume", file, "--resume", "--batch-size", "100");
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stdout).toContain(`imported 9000 points into sift_resume from ${file} (resumed after line ${state.line}; ${9000 - state.line} sent by this run)`);
    expect(existsSync(statePath)).toBe(false);
    expect(await client.count("sift_resume")).toBe(9000);
    await expectCollectionHolds("sift_resume", twice);
  }, 120_000);

  test("an invalid line stops the import naming the line and the field; --skip-invalid counts them", async () => {
    const file = join(dir.path, "bad.jsonl");
    const lines = points.slice(0, 300).map((p) => JSON.stringify(p));
    lines[149] = JSON.stringify({ ...points[149], vector: points[149]!.vector.slice(1) }); // line 150: 127 numbers
    lines[219] = JSON.stringify({ id: "x", vector: [...points[0]!.vector.slice(1), "7"] }); // line 220: a string in it
    writeFileSync(file, `${lines.join("\n")}\n`);
    await createCollection("sift_bad");

    const stopped = await cli("import", "sift_bad", file, "--batch-size", "100");
    expect(stopped.exitCode).toBe(1);
    expect(stopped.stderr).toContain("vectron import: line 150: vector: has 127 numbers, the collection's dimension is 128");
    expect(await client.count("sift_bad")).toBe(100); // the batch before it, and no more

    const skipping = await cli("import", "sift_bad", file, "--batch-size", "100", "--skip-invalid");
    expect(skipping.exitCode).toBe(0);
    expect(skipping.stderr).toContain("skipped line 150: vector: has 127 numbers");
    expect(skipping.stderr).toContain('skipped line 220: vector[127]: expected a finite number, got the string "7"');
    expect(skipping.stdout).toContain("imported 298 points into sift_bad");
    expect(skipping.stdout).toContain("2 invalid line(s) skipped");
    expect(await client.count("sift_bad")).toBe(298);

    const csv = join(dir.path, "bad.csv");
    writeFileSync(csv, 'id,vector,lang\na,"[1,2,3]",en\nb,1 2 x,fr\n');
    await cli("collections", "create", "tiny", "--dimension", "3", "--metric", "cosine");
    const badCsv = await cli("import", "tiny", csv);
    expect(badCsv.exitCode).toBe(1);
    expect(badCsv.stderr).toContain('line 3: vector[2]: expected a finite number, got the string "x"');
  }, 120_000);
});
