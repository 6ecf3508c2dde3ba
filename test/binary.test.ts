/**
 * The single binary: `npm run build:binary` (bun build --compile) gives one executable
 * that, run from an empty directory, serves with embedded storage (usearch addon, PGlite
 * assets, migrations, the console's files and the shard thread inside it), and keeps its
 * data across a restart.
 * Its size and start-up times are measured by bench/binary.ts.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Distance } from "@vectron/proto/v1";
import { newAccount } from "./support/accounts";
import { buildBinary } from "./support/binary-build";
import { connectClients } from "./support/connect-clients";
import { tempDir } from "./support/temp-dir";
import { startVectronProcess } from "./support/vectron-process";

const dir = tempDir("binary");
afterAll(() => dir.remove());

test("the compiled binary serves from an empty directory and keeps its data across a restart", async () => {
  const binary = join(dir.path, "vectron");
  buildBinary(binary);

  const empty = join(dir.path, "empty");
  mkdirSync(empty);
  const dataDir = join(empty, "data");
  let server = await startVectronProcess(dataDir, { executable: binary, cwd: empty });
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
    // The console's page and scripts are inside the binary too (no files on disk).
    const page = await fetch(`${server.baseUrl}/console`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<script");
    const script = await fetch(`${server.baseUrl}/console/assets/app.js`);
    expect(script.headers.get("content-type")).toContain("javascript");
    expect((await script.text()).length).toBeGreaterThan(100);
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
  } finally {
    await server.stop(5000);
  }
}, 120_000);
