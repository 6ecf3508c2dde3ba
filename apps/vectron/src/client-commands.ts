import { VectronClientError } from "@vectron/client";
import { collectionsUsage, runCollectionsCommand } from "./collections-command";
import { exportUsage, runExportCommand } from "./export-command";
import { importUsage, runImportCommand } from "./import-command";
import { runSnapshotCommand, snapshotUsage } from "./snapshot-command";

type Run = (args: string[], env: Record<string, string | undefined>, out: (line: string) => void) => Promise<number>;

/** The commands for people working with their data, through @vectron/client over the API. */
const clientCommands: Record<string, { usage: string; run: Run }> = {
  collections: { usage: collectionsUsage, run: runCollectionsCommand },
  import: { usage: importUsage, run: runImportCommand },
  export: { usage: exportUsage, run: runExportCommand },
  snapshot: { usage: snapshotUsage, run: runSnapshotCommand },
};

/** True for collections, import, export and snapshot. */
export function isClientCommand(command: string | undefined): command is string {
  return command !== undefined && Object.hasOwn(clientCommands, command);
}

/**
 * Runs one of them; returns the exit code: 0, 1 when it failed (the message on stderr;
 * the usage too when the arguments were wrong).
 */
export async function runClientCommand(command: string, args: string[]): Promise<number> {
  const { usage, run } = clientCommands[command]!;
  try {
    return await run(args, process.env, (line) => console.log(line));
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const badArguments = typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
    process.stderr.write(`vectron ${command}: ${messageOf(err)}\n${badArguments ? `\n${usage}` : ""}`);
    return 1;
  }
}

function messageOf(err: unknown): string {
  if (err instanceof VectronClientError) return `${err.code}: ${err.serverMessage} (${err.rpc})`;
  return err instanceof Error ? err.message : String(err);
}
