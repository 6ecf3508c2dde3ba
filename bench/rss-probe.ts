/**
 * Child process of runtime-rss.ts: prints this process's memory as JSON, either bare
 * (`bun bench/rss-probe.ts bare`) or after opening and migrating the embedded PGlite
 * database the server uses (`bun bench/rss-probe.ts pglite <dir>`).
 */
import { createDb } from "@vectron/db";
import { readProcessMemory } from "./process-memory";

const [mode, dir] = process.argv.slice(2);
if (mode === "pglite") {
  if (!dir) throw new Error("rss-probe: pglite needs a data directory");
  const database = await createDb({ pgliteDir: dir });
  await database.db.execute("select 1");
  console.log(JSON.stringify(readProcessMemory("self")));
  await database.close();
} else if (mode === "bare") {
  console.log(JSON.stringify(readProcessMemory("self")));
} else {
  throw new Error(`rss-probe: expected "bare" or "pglite <dir>", got ${JSON.stringify(mode)}`);
}
