import { join } from "node:path";
import type { Subprocess } from "bun";

/** A headless Chromium process; stop() ends it (and, with it, its helper processes). */
export interface HeadlessChromium {
  child: Subprocess<"ignore", "pipe" | "ignore", "pipe">;
  stop(): Promise<void>;
}

/**
 * Starts Debian's Chromium (which .ci/run installs when it is missing) headless, with a
 * throwaway profile under `profileDir`, and `args` after the common flags (a URL, or
 * what a DevTools driver needs). A missing Chromium fails the test: it is never skipped.
 */
export function launchHeadlessChromium(profileDir: string, args: string[], stdout: "pipe" | "ignore"): HeadlessChromium {
  const chromium = Bun.which("chromium") ?? Bun.which("chromium-browser");
  if (!chromium) throw new Error("chromium is not installed: apt-get update && apt-get install -y chromium (as .ci/run does)");
  const child = Bun.spawn(
    [
      chromium,
      "--headless",
      // Root in a container has no user namespaces for the sandbox.
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--no-first-run",
      "--no-default-browser-check",
      `--user-data-dir=${join(profileDir, "chromium-profile")}`,
      ...args,
    ],
    { stdin: "ignore", stdout, stderr: "pipe" },
  );
  return {
    child,
    async stop() {
      child.kill("SIGTERM");
      const exited = await Promise.race([child.exited.then(() => true), Bun.sleep(5000).then(() => false)]);
      if (!exited) {
        child.kill("SIGKILL");
        await child.exited;
      }
    },
  };
}
