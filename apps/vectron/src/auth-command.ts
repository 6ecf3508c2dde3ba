import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { rotateSessionKeyFile, SESSION_KEYS_FILE, sessionKeysFor } from "./node-secrets";

export const authUsage = `Usage: vectron auth <command> [options]

Commands:
  rotate-jwt-key         add a new session signing key to <data-dir>/secrets/jwt-keys;
                         new sessions are signed with it at once (a running node re-reads
                         the file within a second), sessions signed with the previous key
                         stay valid until they expire, and keys retired more than the
                         longest session lifetime plus 10 minutes ago are dropped
  jwt-kids               the kids of the session keys this node would use (from
                         VECTRON_JWT_KEYS, VECTRON_JWT_SECRET or the data directory), the
                         signing one first; never a secret

Options:
  --data-dir <dir>       the node's data directory [VECTRON_DATA_DIR] (default ./data)
  --drop-previous        keep only the new key: every current session ends at once
                         (for a key that leaked)

Nodes given VECTRON_JWT_KEYS or VECTRON_JWT_SECRET do not use the file: rotate by
changing that variable on every node (README, "Accounts, sessions and keys").
`;

/** `vectron auth ...`; returns the exit code. */
export function runAuthCommand(args: string[], env: Record<string, string | undefined>, out: (line: string) => void): number {
  const { values, positionals } = parseArgs({
    args,
    options: { "data-dir": { type: "string" }, "drop-previous": { type: "boolean" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
    strict: true,
  });
  const [command] = positionals;
  if (values.help || !command) {
    out(authUsage);
    return values.help ? 0 : 2;
  }
  const dataDir = resolve(values["data-dir"] ?? env.VECTRON_DATA_DIR ?? "data");
  if (command === "jwt-kids") {
    const configured = env.VECTRON_JWT_KEYS || env.VECTRON_JWT_SECRET;
    if (!configured && !existsSync(join(dataDir, "secrets", SESSION_KEYS_FILE))) throw new Error(`no session keys in ${dataDir}; pass the node's --data-dir`);
    const keys = sessionKeysFor(dataDir, { jwtKeys: env.VECTRON_JWT_KEYS || undefined, jwtSecret: env.VECTRON_JWT_SECRET || undefined });
    const kids = (typeof keys === "function" ? keys() : keys).map((key) => key.kid);
    kids.forEach((kid, index) => out(index === 0 ? `${kid} (signs)` : kid));
    return 0;
  }
  if (command !== "rotate-jwt-key") throw new Error(`unknown command ${JSON.stringify(command)}`);
  if (env.VECTRON_JWT_KEYS || env.VECTRON_JWT_SECRET) {
    throw new Error("session keys come from VECTRON_JWT_KEYS or VECTRON_JWT_SECRET here, not from the data directory: rotate by changing that variable");
  }
  if (!existsSync(dataDir)) throw new Error(`no data directory at ${dataDir}; pass the node's --data-dir`);
  const rotation = rotateSessionKeyFile(dataDir, Date.now(), { dropPrevious: values["drop-previous"] });
  out(`new signing key ${rotation.added} in ${dataDir}/secrets/jwt-keys`);
  out(`still verifying: ${rotation.kept.join(", ") || "none"}`);
  out(`dropped: ${rotation.dropped.join(", ") || "none"}`);
  return 0;
}
