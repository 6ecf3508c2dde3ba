import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import journal from "../migrations/meta/_journal.json";
import m0000 from "../migrations/0000_init.sql" with { type: "text" };
import m0001 from "../migrations/0001_payload_indexes.sql" with { type: "text" };
import m0002 from "../migrations/0002_cluster_placement.sql" with { type: "text" };
import m0003 from "../migrations/0003_read_only_keys_and_plans.sql" with { type: "text" };

/**
 * The migrations as text inside the program, for a `bun build --compile` binary, which
 * has no migrations folder on disk. Every migration drizzle-kit generates must be listed
 * here (embedded-migrations.test.ts fails otherwise).
 */
export const embeddedMigrations: Record<string, string> = {
  "meta/_journal.json": JSON.stringify(journal),
  "0000_init.sql": m0000,
  "0001_payload_indexes.sql": m0001,
  "0002_cluster_placement.sql": m0002,
  "0003_read_only_keys_and_plans.sql": m0003,
};

/** Writes the embedded migrations into `dir` as drizzle's migrator reads them; returns dir. */
export function writeEmbeddedMigrations(dir: string): string {
  mkdirSync(join(dir, "meta"), { recursive: true });
  for (const [path, text] of Object.entries(embeddedMigrations)) writeFileSync(join(dir, path), text);
  return dir;
}
