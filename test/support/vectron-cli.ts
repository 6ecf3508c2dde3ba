import { join } from "node:path";

const MAIN = join(import.meta.dir, "..", "..", "apps", "vectron", "src", "main.ts");

/** What a `vectron` command printed and how it exited. */
export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `vectron <args>` (bun apps/vectron/src/main.ts) as a process, as an operator
 * would, with `env` added to this process's environment; waits for it to exit. Async,
 * so servers in this process keep answering meanwhile.
 */
export async function runVectronCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const child = Bun.spawn([process.execPath, MAIN, ...args], { env: { ...process.env, ...env }, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { exitCode, stdout, stderr };
}

/** A `vectron <args>` process still running: to kill mid-way (kill -9) or await. */
export interface RunningCli {
  pid: number;
  /** SIGKILL and wait for the exit. */
  kill9(): Promise<void>;
  /** Waits for the exit; what it printed. */
  finished(): Promise<CliRun>;
}

/** Starts `vectron <args>` without waiting for it, e.g. an import to interrupt. */
export function startVectronCli(args: string[], env: Record<string, string> = {}): RunningCli {
  const child = Bun.spawn([process.execPath, MAIN, ...args], { env: { ...process.env, ...env }, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const outputs = Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()]);
  return {
    pid: child.pid,
    async kill9() {
      child.kill("SIGKILL");
      await child.exited;
    },
    async finished() {
      const [[stdout, stderr], exitCode] = await Promise.all([outputs, child.exited]);
      return { exitCode, stdout, stderr };
    },
  };
}
