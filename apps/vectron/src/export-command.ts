import { parseArgs } from "node:util";
import type { Filter } from "@vectron/client";
import { writePointsJsonl } from "./points-jsonl-writer";
import { connectionOptions, connectionUsage, connectToServer } from "./server-connection";

export const exportUsage = `Usage: vectron export <collection> [options]

Writes a collection's points as JSONL, one {"id","vector","payload"} per line in id
order (what vectron import reads back), through scroll: a live collection can be
exported, and points written meanwhile may or may not be in the file.

Options:
  --out <file>                where to write (default: standard output)
  --with-vectors <true|false> include the vectors (default true; without them the file
                              cannot be imported)
  --filter <json>             only the points matching a filter, e.g.
                              '{"must":[{"key":"lang","match":{"value":"en"}}]}'

${connectionUsage}
`;

/** `vectron export <collection>`; returns the exit code. */
export async function runExportCommand(args: string[], env: Record<string, string | undefined>, out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...connectionOptions,
      out: { type: "string" },
      "with-vectors": { type: "string" },
      filter: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    out(exportUsage);
    return 0;
  }
  if (positionals.length !== 1) throw new Error("give the collection: vectron export <collection> [--out file.jsonl]");
  const withVectors = values["with-vectors"] ?? "true";
  if (withVectors !== "true" && withVectors !== "false") throw new Error(`--with-vectors must be true or false, not ${JSON.stringify(withVectors)}`);
  const client = connectToServer(values, env);
  const written = await writePointsJsonl(client, positionals[0]!, values.out ?? "-", { withVectors: withVectors === "true", filter: filterOf(values.filter) });
  // On standard output the summary would mix with the points: it goes to stderr then.
  const summary = `exported ${written.points} points from ${positionals[0]}${values.out ? ` to ${values.out}` : ""}`;
  if (values.out) out(summary);
  else process.stderr.write(`${summary}\n`);
  return 0;
}

function filterOf(text: string | undefined): Filter | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Filter;
  } catch (err) {
    throw new Error(`--filter is not valid JSON (${(err as Error).message})`);
  }
}
