import { basename, extname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createImportProgress } from "./import-progress";
import { importPointFile, type PointFileFormat } from "./import-points";
import { checkResumable, defaultStatePath, readImportState, removeImportState } from "./import-state";
import { toInt } from "./integer-setting";
import { InvalidPointError } from "./invalid-point-error";
import { connectionOptions, connectionUsage, connectToServer } from "./server-connection";

export const importUsage = `Usage: vectron import <collection> <file> [options]

Upserts the points of a JSONL or CSV file into an existing collection, streaming the
file in batches. Points are replaced by id, so importing a file twice stores it once.

JSONL (.jsonl, .ndjson): one point per line, {"id": "a", "vector": [0.1, ...], "payload": {...}}
  (payload optional) -- what vectron export writes.
CSV (.csv): a header line, then one point per line. Columns: "id"; the vector as one
  "vector" column (a JSON array "[0.1,0.2]" in quotes, or numbers separated by spaces or
  semicolons "0.1 0.2") or as columns v0, v1, ... v<dimension-1>; every other column is
  a payload key, its cell parsed as JSON when it is JSON (42, true, "text", [1,2]) and
  kept as text otherwise; empty cells are left out. Cells may be quoted ("a, b" and ""
  for a quote) but not span lines.

Resuming: after each batch the server acknowledged, the position (byte offset, line) is
saved to <file>.vectron-import.json (or --state). If the import stops (Ctrl-C, a crash,
kill -9, a network failure), run the same command with --resume: it continues after the
last saved batch, and the collection ends exactly as an uninterrupted import leaves it
(at most one batch is sent twice, which replaces those points with themselves). The
state file is removed when the import completes; it refuses to resume on a file whose
size or modification time changed.

Options:
  --format <jsonl|csv>        when the file's extension does not say
  --batch-size <n>            points per batch and per saved position (default 1000)
  --resume                    continue from the saved position (from the start if none)
  --state <path>              where the position is saved (default <file>.vectron-import.json)
  --skip-invalid              skip invalid lines, count and report them, instead of stopping
                              at the first with its line number and field

${connectionUsage}
`;

const SKIPPED_SHOWN = 10;

/** `vectron import <collection> <file>`; returns the exit code. */
export async function runImportCommand(args: string[], env: Record<string, string | undefined>, out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...connectionOptions,
      format: { type: "string" },
      "batch-size": { type: "string" },
      resume: { type: "boolean" },
      state: { type: "string" },
      "skip-invalid": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    out(importUsage);
    return 0;
  }
  if (positionals.length !== 2) throw new Error("give the collection and the file: vectron import <collection> <file>");
  const [collection, fileArgument] = positionals as [string, string];
  const file = resolve(fileArgument);
  const format = formatOf(file, values.format);
  const batchSize = values["batch-size"] === undefined ? 1000 : toInt("--batch-size", values["batch-size"], 1, 100_000);
  const statePath = resolve(values.state ?? defaultStatePath(file));

  const saved = readImportState(statePath);
  if (saved && !values.resume) {
    throw new Error(
      `an earlier import of this file stopped after line ${saved.line} (${saved.points} points acknowledged): pass --resume to continue, or delete ${statePath} to start over`,
    );
  }
  if (saved) checkResumable(saved, file, collection, statePath);
  else if (values.resume) process.stderr.write(`no saved position in ${statePath}: importing from the start\n`);

  const client = connectToServer(values, env);
  const { dimension } = await client.getCollection(collection);
  let skippedShown = 0;
  try {
    const result = await importPointFile({
      client,
      collection,
      file,
      format,
      dimension,
      batchSize,
      skipInvalid: values["skip-invalid"] ?? false,
      statePath,
      resumeFrom: saved,
      progress: createImportProgress(process.stderr, `import ${basename(file)}`),
      onSkipped(error) {
        if (skippedShown++ < SKIPPED_SHOWN) process.stderr.write(`skipped ${error.message}\n`);
      },
    });
    removeImportState(statePath);
    const resumedNote = saved ? ` (resumed after line ${saved.line}; ${result.pointsThisRun} sent by this run)` : "";
    const skippedNote = result.skipped > 0 ? `, ${result.skipped} invalid line(s) skipped` : "";
    out(`imported ${result.points} points into ${collection} from ${fileArgument}${skippedNote}${resumedNote}`);
    return 0;
  } catch (err) {
    if (err instanceof InvalidPointError) {
      // The position saved so far would not survive fixing the file (its modification
      // time changes): the next run starts over, which upserts by id make safe.
      removeImportState(statePath);
      throw new Error(`${err.message}\nThe batches before it are stored. Fix the line and import again, or pass --skip-invalid.`);
    }
    throw err;
  }
}

function formatOf(file: string, flag: string | undefined): PointFileFormat {
  if (flag !== undefined) {
    if (flag !== "jsonl" && flag !== "csv") throw new Error(`--format must be jsonl or csv, not ${JSON.stringify(flag)}`);
    return flag;
  }
  const extension = extname(file).toLowerCase();
  if (extension === ".jsonl" || extension === ".ndjson") return "jsonl";
  if (extension === ".csv") return "csv";
  throw new Error(`cannot tell the format of ${basename(file)} from its extension: pass --format jsonl or --format csv`);
}
