import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { writeFileAtomically } from "@vectron/durable-file";
import { join } from "node:path";

/**
 * A secret from configuration, else the one kept in `<dataDir>/secrets/<name>`, else a
 * new random one (32 bytes, hex) written there with owner-only permissions. There is
 * no built-in default secret.
 */
export function loadOrCreateSecret(dataDir: string, name: string, configured: string | undefined): string {
  if (configured !== undefined) {
    if (configured.length < 32) throw new Error(`${name}: a configured secret must be at least 32 characters`);
    return configured;
  }
  const dir = join(dataDir, "secrets");
  const path = join(dir, name);
  if (existsSync(path)) {
    const kept = readFileSync(path, "utf8").trim();
    if (kept.length < 32) throw new Error(`${path} is damaged (shorter than 32 characters); remove it to generate a new ${name}`);
    return kept;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString("hex");
  writeFileAtomically(path, `${secret}\n`, 0o600);
  return secret;
}

/**
 * This node's id (its worker id, and its placement process id), kept in the data dir so
 * a restarted node is the same node; a wiped data directory makes a new node.
 */
export function loadOrCreateNodeId(dataDir: string): string {
  const path = join(dataDir, "worker-id");
  if (existsSync(path)) return readFileSync(path, "utf8").trim();
  const id = `node-${randomBytes(6).toString("hex")}`;
  writeFileAtomically(path, `${id}\n`);
  return id;
}
