// @ts-check
// Run by test/client-node.test.ts with plain `node`, from a project where @vectron/client
// is installed from its npm tarball: register → API key → create → upsert → search.
// Prints one JSON line with what it saw; the test checks it.
import { NotFoundError, VectronClientError, createVectronClient } from "@vectron/client";

const baseUrl = process.argv[2];
if (!baseUrl) throw new Error("usage: node client-node-smoke.mjs <baseUrl>");

const anonymous = createVectronClient({ baseUrl });
const email = `node-${Date.now()}@example.com`;
const password = "correct horse battery staple";
await anonymous.auth.register({ email, password });
const session = await anonymous.auth.login({ email, password });
const { key } = await anonymous.withCredentials({ token: session.token }).auth.createApiKey({ name: "node" });
const vectron = anonymous.withCredentials({ apiKey: key });

await vectron.createCollection({ name: "node-docs", dimension: 3, metric: "cosine" });
/** @type {number[]} */
const progress = [];
const { upserted } = await vectron.upsert(
  "node-docs",
  [
    { id: "a", vector: [1, 0, 0], payload: { lang: "en" } },
    { id: "b", vector: new Float32Array([0.9, 0.1, 0]), payload: { lang: "fr" } },
    { id: "c", vector: [0.8, 0.2, 0], payload: { lang: "en" } },
    { id: "d", vector: [0, 1, 0], payload: { lang: "en" } },
    { id: "e", vector: [0, 0, 1], payload: { lang: "de" } },
  ],
  { batchSize: 2, onProgress: ({ done }) => progress.push(done) },
);
const hits = await vectron.search("node-docs", [1, 0, 0], { topK: 3, filter: { must: [{ key: "lang", match: { value: "en" } }] } });

let notFound = "";
try {
  await vectron.getCollection("missing");
} catch (err) {
  if (err instanceof NotFoundError && err instanceof VectronClientError) notFound = `${err.name} ${err.code}`;
}

console.log(JSON.stringify({ node: process.version, upserted, progress, hits, notFound }));
