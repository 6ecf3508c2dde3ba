import { loadSift, siftPayload } from "@vectron/datasets";
import { newAccount } from "../test/support/accounts";
import { okJson } from "../test/support/connect-json";
import { startVectronProcess } from "../test/support/vectron-process";
import { tempDir } from "../test/support/temp-dir";
const dir = tempDir("prof");
const profDir = process.argv[2] ?? "/tmp/prof-out";
const proc = await startVectronProcess(dir.path, {}, ["--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${profDir}`]);
const acct = await newAccount(proc.baseUrl);
const sift = await loadSift();
await okJson(proc.baseUrl, "vectron.v1.VectronService/CreateCollection", { name: "s", dimension: 128, distance: "DISTANCE_EUCLIDEAN" }, acct.apiKey);
for (let i = 0; i < 4500; i += 1000) {
  await okJson(proc.baseUrl, "vectron.v1.VectronService/Upsert", { collection: "s", points: sift.base.slice(i, i + 1000).map((v, j) => ({ id: sift.baseIds[i + j], vector: Array.from(v), payload: siftPayload(i + j, sift.baseIds[i + j]!) })) }, acct.apiKey);
}
const bodies = sift.queries.map((q) => JSON.stringify({ collection: "s", vector: Array.from(q), topK: 10 }));
const n = Number(process.argv[3] ?? 6000);
const t0 = performance.now();
for (let i = 0; i < n; i++) {
  const r = await fetch(`${proc.baseUrl}/vectron.v1.VectronService/Search`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${acct.apiKey}` }, body: bodies[i % 500] });
  await r.text();
}
const dt = performance.now() - t0;
console.log(`${n} searches in ${dt.toFixed(0)} ms: ${(n / dt * 1000).toFixed(0)}/s`);
await proc.terminate();
dir.remove();
