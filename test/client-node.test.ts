import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startTestNode, type TestNode } from "./support/in-process-node";
import { installPackedClient, link, run, type PackedClientInstall } from "./support/packed-client";

/**
 * The built package as Node.js users get it: `npm pack`ed, installed into an empty
 * project, type-checked there against its published declarations (TypeScript with
 * Node's own module resolution), and run by plain `node` against a live node.
 */
describe("@vectron/client from its tarball on Node.js", () => {
  let node: TestNode;
  let install: PackedClientInstall;

  beforeAll(async () => {
    node = await startTestNode("pglite");
    install = await installPackedClient();
    copyFileSync(join(import.meta.dir, "support", "client-node-smoke.mjs"), join(install.dir, "smoke.mjs"));
  }, 60_000);
  afterAll(async () => {
    install?.remove();
    await node?.stop();
  });

  test("the published types check a consumer under module nodenext", async () => {
    link(install.dir, "@types/node");
    writeFileSync(
      join(install.dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", strict: true, skipLibCheck: true, allowJs: true, checkJs: true, noEmit: true, types: ["node"] },
        files: ["smoke.mjs"],
      }),
    );
    const tsc = join(import.meta.dir, "..", "node_modules", "typescript", "bin", "tsc");
    // Throws with tsc's diagnostics when it finds an error.
    await run(["node", tsc, "-p", install.dir], install.dir);
  }, 60_000);

  test("node runs register → key → create → upsert (batched) → search against the live node", async () => {
    const child = Bun.spawn(["node", "smoke.mjs", node.baseUrl], { cwd: install.dir, stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, exitCode] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: "" });
    const seen = JSON.parse(stdout);
    expect(seen.node).toStartWith("v");
    expect(seen.upserted).toBe(5);
    expect(seen.progress).toEqual([2, 4, 5]);
    expect(seen.hits.map((hit: { id: string }) => hit.id)).toEqual(["a", "c", "d"]);
    expect(seen.hits[0]).toEqual({ id: "a", score: expect.closeTo(1, 5), payload: { lang: "en" } });
    expect(seen.notFound).toBe("NotFoundError not_found");
  }, 30_000);
});
