// Bundled by test/client-browser.test.ts with `bun build --target browser` from a project
// where @vectron/client is installed from its npm tarball, and run by headless Chromium.
// The page talks to Vectron at its own origin (the test server forwards /vectron.* to
// the node), then posts what it saw to /result and shows it in the page.
import { NotFoundError, createVectronClient } from "@vectron/client";

async function run() {
  const params = new URLSearchParams(location.search);
  const collection = params.get("collection") ?? "";
  const vectron = createVectronClient({ baseUrl: params.get("node") ?? "", apiKey: params.get("key") ?? "" });
  const progress = [];
  await vectron.upsert(collection, [{ id: "from-browser", vector: new Float32Array([0.7, 0.7, 0]), payload: { lang: "en", by: "browser" } }], {
    onProgress: ({ done, total }) => progress.push(`${done}/${total}`),
  });
  const hits = await vectron.search(collection, [1, 0, 0], { topK: 3, filter: { must: [{ key: "lang", match: { value: "en" } }] } });
  const scrolled = [];
  for await (const point of vectron.scroll(collection, { pageSize: 2, withPayload: false })) scrolled.push(point.id);
  let notFound = "";
  try {
    await vectron.count("missing");
  } catch (err) {
    if (err instanceof NotFoundError) notFound = err.code;
  }
  return { userAgent: navigator.userAgent, progress, hits, scrolled, notFound };
}

async function report(body) {
  document.body.textContent = JSON.stringify(body);
  await fetch("/result", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

run().then(
  (result) => report({ result }),
  (err) => report({ error: String(err?.stack ?? err) }),
);
