import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..", "..");

/**
 * Builds the single binary with the command package.json documents (`npm run
 * build:binary`), writing it to `outfile` instead of dist/vectron. Throws with bun's
 * output when the build fails.
 */
export function buildBinary(outfile: string): void {
  const scripts = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  const script = (scripts["build:binary"] ?? "").split(" ");
  const at = script.indexOf("--outfile");
  if (script[0] !== "bun" || script[1] !== "build" || at < 0) throw new Error(`package.json build:binary is not a bun build command: ${scripts["build:binary"]}`);
  const build = Bun.spawnSync([process.execPath, ...script.slice(1, at), "--outfile", outfile], { cwd: root, stdout: "pipe", stderr: "pipe" });
  if (build.exitCode !== 0) throw new Error(`bun build failed:\n${build.stderr.toString()}`);
}
