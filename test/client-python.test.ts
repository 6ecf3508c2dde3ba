import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { newAccount } from "./support/accounts";
import { findPythonWithGrpc, type PythonWithGrpc } from "./support/python-with-grpc";
import { tempDir } from "./support/temp-dir";
import { startVectronProcess, type VectronProcess } from "./support/vectron-process";

const CLIENT_DIR = join(import.meta.dir, "..", "clients", "python");
const TESTS_DIR = join(CLIENT_DIR, "tests");

/** How many test methods the Python suite defines, so that a run finding fewer fails. */
function pythonTestCount(): number {
  return readdirSync(TESTS_DIR)
    .filter((file) => /^test_.*\.py$/.test(file))
    .reduce((sum, file) => sum + (readFileSync(join(TESTS_DIR, file), "utf8").match(/^\s+def test_/gm)?.length ?? 0), 0);
}

/**
 * The Python client (clients/python) against `vectron serve` as a real process: its
 * unittest suite runs with the node's gRPC address and an API key of a fresh account
 * in the environment (VECTRON_TEST_GRPC_ADDRESS, VECTRON_TEST_API_KEY).
 */
describe("Python client over gRPC", () => {
  const dir = tempDir("python-client");
  let python: PythonWithGrpc;
  let proc: VectronProcess;

  beforeAll(async () => {
    python = findPythonWithGrpc();
    proc = await startVectronProcess(dir.path);
  }, 60_000);
  afterAll(async () => {
    await proc?.stop(10_000);
    dir.remove();
  });

  test("its unittest suite passes: batched upserts, filtered search, scroll, payloads, typed errors, retries, accounts", async () => {
    const account = await newAccount(proc.baseUrl, "python");
    const child = Bun.spawn([python.command, "-m", "unittest", "discover", "-v", "-s", TESTS_DIR], {
      cwd: CLIENT_DIR,
      env: {
        ...process.env,
        PYTHONPATH: [CLIENT_DIR, ...python.pythonPath, process.env.PYTHONPATH].filter(Boolean).join(":"),
        VECTRON_TEST_GRPC_ADDRESS: proc.grpcAddress,
        VECTRON_TEST_API_KEY: account.apiKey,
      },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, stderr, exitCode] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    const output = stdout + stderr;
    if (exitCode !== 0) console.error(`python -m unittest with ${python.description}:\n${output}`);
    expect(exitCode).toBe(0);
    // Every test ran (a module that failed to import, or a discovery that found nothing,
    // must not pass quietly) and none was skipped.
    expect(Number(output.match(/^Ran (\d+) tests? in /m)?.[1])).toBe(pythonTestCount());
    expect(output).toMatch(/^OK$/m);
  }, 60_000);
});
