import { existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createDb, type DbHandle } from "@vectron/db";
import { isCompiledBinary, loadCompiledAssets } from "./compiled-assets";
import { listUserSummaries, parsePlanName, setUserPlan } from "./user-accounts";

export const usersUsage = `Usage: vectron users <command> [options]

Accounts, straight from the database (README, "Plans and quotas").

Commands:
  ls                          every user: email, plan, collections, API keys, created
  set-plan <email> <plan>     put a user on the free or the paid plan; the API nodes apply
                              it within 5 seconds (their caches of keys and plans)

The database: VECTRON_DATABASE_URL (a cluster's Postgres; the nodes keep running), else
the embedded PGlite of a single node in <data-dir>/pglite, which only one process may
open at a time: stop that node's vectron serve first, then start it again.

Options:
  --data-dir <dir>            the single node's data directory [VECTRON_DATA_DIR] (default ./data)
  --force                     open the embedded database although it looks in use (only after
                              a node that crashed left it marked so)
`;

/** `vectron users ...`; returns the exit code. */
export async function runUsersCommand(args: string[], env: Record<string, string | undefined>, out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { "data-dir": { type: "string" }, force: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
    strict: true,
  });
  const [command, ...operands] = positionals;
  if (values.help || !command) {
    out(usersUsage);
    return values.help ? 0 : 2;
  }
  if (command !== "ls" && command !== "set-plan") throw new Error(`unknown command ${JSON.stringify(command)}`);
  if (command === "set-plan" && operands.length !== 2) throw new Error("set-plan: give the user's email and the plan, e.g. set-plan me@example.com paid");
  const plan = command === "set-plan" ? parsePlanName(operands[1]!) : undefined;

  const dataDir = resolve(values["data-dir"] ?? env.VECTRON_DATA_DIR ?? "data");
  const database = await openAccounts(env.VECTRON_DATABASE_URL || undefined, dataDir, values.force ?? false);
  try {
    if (plan) {
      const { email, previous } = await setUserPlan(database.db, operands[0]!, plan);
      out(`${email}: plan ${previous} -> ${plan} (running API nodes apply it within 5 s)`);
      return 0;
    }
    const rows = await listUserSummaries(database.db);
    const width = Math.max(5, ...rows.map((row) => row.email.length));
    out(`${"email".padEnd(width)}  plan  collections  api keys  created`);
    for (const row of rows) {
      out(`${row.email.padEnd(width)}  ${row.plan.padEnd(4)}  ${String(row.collections).padStart(11)}  ${String(row.apiKeys).padStart(8)}  ${row.createdAt.toISOString()}`);
    }
    return 0;
  } finally {
    await database.close();
  }
}

/**
 * The cluster's Postgres, or a single node's embedded PGlite. PGlite takes no lock of
 * its own, so two processes could open one directory and damage it: its postmaster.pid,
 * there while a process has the database open, is taken as "in use".
 */
async function openAccounts(databaseUrl: string | undefined, dataDir: string, force: boolean): Promise<DbHandle> {
  const pgliteDir = join(dataDir, "pglite");
  if (!databaseUrl) {
    if (!existsSync(join(pgliteDir, "PG_VERSION"))) {
      throw new Error(`no embedded database in ${dataDir}: pass the node's --data-dir, or set VECTRON_DATABASE_URL for a cluster`);
    }
    if (existsSync(join(pgliteDir, "postmaster.pid")) && !force) {
      throw new Error(
        `the embedded database in ${pgliteDir} is in use: stop vectron serve on ${dataDir} first (if no node runs there, it crashed: pass --force)`,
      );
    }
  }
  // A compiled binary carries PGlite's files and the migrations inside itself.
  const compiled = isCompiledBinary() ? await loadCompiledAssets() : undefined;
  try {
    return await createDb({
      ...(databaseUrl ? { url: databaseUrl, maxConnections: 1 } : { pgliteDir, pgliteAssets: compiled?.pgliteAssets }),
      migrationsFolder: compiled?.migrationsFolder,
    });
  } finally {
    if (compiled) rmSync(compiled.migrationsFolder, { recursive: true, force: true });
  }
}
