import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./temp-dir";

const REPO = join(import.meta.dir, "..", "..");
const CLIENT = join(REPO, "packages", "client");

/** A directory where `@vectron/client` is installed from its npm tarball, as a user gets it. */
export interface PackedClientInstall {
  /** The project directory: package.json ("type": "module") and node_modules/. */
  dir: string;
  remove(): void;
}

/**
 * Builds @vectron/client (`bun build.ts`), packs it with `npm pack` and installs the
 * tarball into a fresh project directory: only the files the package publishes, and
 * only the dependencies its package.json declares (linked to this workspace's copies,
 * since the test must not need the registry). Nothing of the workspace's sources or
 * private packages can be reached from there.
 */
export async function installPackedClient(): Promise<PackedClientInstall> {
  await run([process.execPath, "build.ts"], CLIENT);
  const project = tempDir("client-install");
  const packed = JSON.parse(await run(["npm", "pack", "--ignore-scripts", "--json", "--pack-destination", project.path], CLIENT)) as { filename: string }[];
  const installed = join(project.path, "node_modules", "@vectron", "client");
  mkdirSync(installed, { recursive: true });
  await run(["tar", "-xzf", join(project.path, packed[0]!.filename), "-C", installed, "--strip-components=1"], project.path);
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  for (const name of Object.keys(manifest.dependencies)) link(project.path, name);
  writeFileSync(join(project.path, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  return { dir: project.path, remove: project.remove };
}

/** Links node_modules/<name> of the project to the workspace's installed copy. */
export function link(projectDir: string, name: string): void {
  const target = join(projectDir, "node_modules", name);
  mkdirSync(join(target, ".."), { recursive: true });
  symlinkSync(join(REPO, "node_modules", name), target, "dir");
}

/**
 * Runs a command to completion and returns its stdout; throws with its output when it
 * fails. Asynchronous, so that a node running in this process keeps answering meanwhile.
 */
export async function run(command: string[], cwd: string): Promise<string> {
  const child = Bun.spawn(command, { cwd, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  if (exitCode !== 0) throw new Error(`${command.join(" ")} exited with ${exitCode}:\n${stdout}\n${stderr}`);
  return stdout;
}
