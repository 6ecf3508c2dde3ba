/**
 * The single binary: `npm run build:binary` (bun build --compile) gives one executable
 * that, run from an empty directory, serves with embedded storage (usearch addon, PGlite
 * assets, migrations and the shard thread inside it), and keeps its data across a restart.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Distance } from "@vectron/proto/v1";
import { newAccount } from "./support/accounts";
import { connectClients } from "./support/connect-clients";
import { tempDir } from "./support/temp-dir";
import { startVectronProcess } from "./support/vectron-process";

const root = join(import.meta.dir, "..");
const dir = tempDir("binary");
afterAll(() => dir.remove());

/** The build command as package.json documents it, writing to `outfile`. */
function buildCommand(outfile: string): string[] {
  const script = ((readJson(join(root, "package.json")) as { scripts: Record<string, string> }).scripts["build:binary"] ?? "").split(" ");
  expect(script.slice(0, 3)).toEqual(["bun", "build", "--compile"]);
  const at = script.indexOf("--outfile");
  return [process.execPath, ...script.slice(1, at), "--outfile", outfile];
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8"));
}

test("the compiled binary serves from an empty directory and keeps its data across a restart", async () => {
  const binary = join(dir.path, "vectron");
  const build = Bun.spawnSync(buildCommand(binary), { cwd: root, stdout: "pipe", stderr: "pipe" });
  expect(build.exitCode, build.stderr.toString()).toBe(0);
  const sizeMiB = statSync(binary).size / 2 ** 20;

  const empty = join(dir.path, "empty");
  mkdirSync(empty);
  const dataDir = join(empty, "data");
  let server = await startVectronProcess(dataDir, { executable: binary, cwd: empty });
  const startMs = (server.listeningAtNs - server.spawnedAtNs) / 1e6;
  try {
    const account = await newAccount(server.baseUrl, "binary");
    const api = connectClients(server.baseUrl, account.apiKey).vectron;
    await api.createCollection({ name: "docs", dimension: 3, distance: Distance.COSINE });
    await api.upsert({ collection: "docs", points: [{ id: "a", vector: [1, 0, 0], payload: { title: "first" } }, { id: "b", vector: [0, 1, 0] }] });
    const before = await api.search({ collection: "docs", vector: [0.9, 0.1, 0], topK: 2 });
    expect(before.results.map((hit) => hit.id)).toEqual(["a", "b"]);
    expect(await server.terminate()).toBe(0);

    server = await startVectronProcess(dataDir, { executable: binary, cwd: empty });
    const again = connectClients(server.baseUrl, account.apiKey).vectron;
    const after = await again.search({ collection: "docs", vector: [0.9, 0.1, 0], topK: 2 });
    expect(after.results).toEqual(before.results);
    expect(server.output()).toContain("loaded saved index");
    const restartMs = (server.listeningAtNs - server.spawnedAtNs) / 1e6;
    console.log(`[binary] ${sizeMiB.toFixed(0)} MiB; listening ${startMs.toFixed(0)} ms after spawn on an empty data directory, ${restartMs.toFixed(0)} ms on a restart`);
  } finally {
    await server.stop(5000);
  }
}, 120_000);
