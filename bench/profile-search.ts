/**
 * A CPU profile of the server's search path: `bun bench/profile-search.ts [searches]`.
 * Starts `vectron serve` under Bun's sampling profiler, loads SIFT (4,500 points with
 * payloads), runs the searches one at a time over Connect JSON, stops the server and
 * writes the hottest functions (self time) to bench/PROFILE.md. Start-up and loading are
 * in the profile too, so the searches should dominate: use 20,000 or more.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSift, siftPayload } from "@vectron/datasets";
import { newAccount } from "../test/support/accounts";
import { okJson } from "../test/support/connect-json";
import { startVectronProcess } from "../test/support/vectron-process";
import { tempDir } from "../test/support/temp-dir";

const searches = Number(process.argv[2] ?? 20_000);
const dataDir = tempDir("profile");
const profileDir = mkdtempSync(join(tmpdir(), "vectron-cpu-profile-"));
const server = await startVectronProcess(dataDir.path, { bunFlags: ["--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${profileDir}`] });
let rate = 0;
try {
  const { apiKey } = await newAccount(server.baseUrl);
  const sift = await loadSift();
  const api = (method: string, body: unknown) => okJson(server.baseUrl, `vectron.v1.VectronService/${method}`, body, apiKey);
  await api("CreateCollection", { name: "sift", dimension: 128, distance: "DISTANCE_EUCLIDEAN" });
  for (let start = 0; start < sift.base.length; start += 1000) {
    const points = sift.base.slice(start, start + 1000).map((vector, i) => ({
      id: sift.baseIds[start + i],
      vector: Array.from(vector),
      payload: siftPayload(start + i, sift.baseIds[start + i]!),
    }));
    await api("Upsert", { collection: "sift", points });
  }
  const bodies = sift.queries.map((q) => JSON.stringify({ collection: "sift", vector: Array.from(q), topK: 10 }));
  const headers = { "content-type": "application/json", authorization: `Bearer ${apiKey}` };
  const started = performance.now();
  for (let i = 0; i < searches; i++) {
    const response = await fetch(`${server.baseUrl}/vectron.v1.VectronService/Search`, { method: "POST", headers, body: bodies[i % bodies.length] });
    await response.text();
  }
  rate = searches / ((performance.now() - started) / 1000);
} finally {
  await server.terminate();
  dataDir.remove();
}
const markdown = readdirSync(profileDir).find((name) => name.endsWith(".md"));
if (!markdown) throw new Error(`no profile written in ${profileDir}`);
const profile = readFileSync(join(profileDir, markdown), "utf8");
rmSync(profileDir, { recursive: true, force: true });
const hot = profile.slice(profile.indexOf("## Hot Functions"), profile.indexOf("## Call Tree"));
const rows = hot.split("\n").filter((line) => line.startsWith("|")).slice(0, 32);
const report = `# Where a search's time goes

Command: \`bun bench/profile-search.ts ${searches}\` (${new Date().toISOString()}): \`vectron serve\`
under Bun's sampling profiler (\`--cpu-prof\`), SIFT 4,500 points with payloads, ${searches}
searches one at a time over Connect JSON from a client on the same 2 cores
(${Math.round(rate)} searches/s under the profiler). Start-up and loading are included.
The server's hottest functions by self time (native code is usearch, SQLite, JSON and
the HTTP stack; shard work runs on shard threads):

${rows.join("\n")}
`;
writeFileSync(join(import.meta.dir, "PROFILE.md"), report);
console.log(report);
