import { statSync } from "node:fs";
import type { PointInput, VectronClient } from "@vectron/client";
import { csvLayout, csvPoint } from "./csv-points";
import { readFileLines, type FileLine } from "./file-lines";
import type { ImportProgress } from "./import-progress";
import { saveImportState, type ImportState } from "./import-state";
import { InvalidPointError } from "./invalid-point-error";
import { jsonlPoint } from "./jsonl-points";

/** The two file formats `vectron import` reads. */
export type PointFileFormat = "jsonl" | "csv";

export interface ImportFileInput {
  client: VectronClient;
  collection: string;
  /** Absolute path of the file. */
  file: string;
  format: PointFileFormat;
  /** The collection's dimension: every vector is checked against it, line by line. */
  dimension: number;
  /** Points per upsert call (the client splits further by its request limits). */
  batchSize: number;
  /** Count and report invalid lines instead of stopping at the first. */
  skipInvalid: boolean;
  /** Where to save the position after each acknowledged batch; none: not resumable. */
  statePath?: string;
  /** A saved position to continue from (checked by the caller). */
  resumeFrom?: ImportState;
  progress: ImportProgress;
  /** Told about each invalid line skipped. */
  onSkipped?: (error: InvalidPointError) => void;
}

/** What an import did, counted from the file's start (a resumed run included). */
export interface ImportResult {
  points: number;
  skipped: number;
  /** Points sent by this run only. */
  pointsThisRun: number;
}

/**
 * Streams a JSONL or CSV file into a collection in batches, one upsert in flight while
 * the next batch is parsed. Batches are applied in file order, each after the previous
 * one was acknowledged, so the collection ends as an uninterrupted import would leave it
 * (the last line of an id wins). After each acknowledged batch the position is saved:
 * after a crash, at most the one batch acknowledged but not yet saved is sent again,
 * which upserts by id make harmless.
 */
export async function importPointFile(input: ImportFileInput): Promise<ImportResult> {
  const { client, collection, file, batchSize, statePath, progress } = input;
  const stat = statSync(file);
  const parse = await pointParser(input);
  const resumed = input.resumeFrom;
  const start = resumed ? { offset: resumed.offset, linesBefore: resumed.line } : parse.start;
  const state: ImportState = {
    version: 1,
    file,
    fileSize: stat.size,
    fileMtimeMs: stat.mtimeMs,
    collection,
    offset: start.offset,
    line: start.linesBefore,
    points: resumed?.points ?? 0,
    skipped: resumed?.skipped ?? 0,
  };
  let pointsThisRun = 0;
  let skipped = state.skipped;
  let inFlight: Promise<void> | undefined;
  const send = async (points: PointInput[], last: FileLine) => {
    await inFlight;
    const skippedSoFar = skipped;
    inFlight = (async () => {
      if (points.length > 0) await client.upsert(collection, points, { batchSize });
      pointsThisRun += points.length;
      Object.assign(state, { offset: last.endOffset, line: last.number, points: state.points + points.length, skipped: skippedSoFar });
      if (statePath) saveImportState(statePath, state);
      progress.update({ bytesDone: state.offset, bytesTotal: stat.size, points: state.points, pointsThisRun, skipped: state.skipped });
    })();
  };

  let batch: PointInput[] = [];
  let last: FileLine | undefined;
  try {
    for await (const line of readFileLines(file, start)) {
      last = line;
      if (line.text.trim() === "") continue;
      try {
        batch.push(parse.point(line));
      } catch (err) {
        if (!(err instanceof InvalidPointError) || !input.skipInvalid) throw err;
        skipped += 1;
        input.onSkipped?.(err);
      }
      if (batch.length >= batchSize) {
        await send(batch, line);
        batch = [];
      }
    }
    if (last && (batch.length > 0 || last.endOffset > state.offset)) await send(batch, last);
    await inFlight;
  } finally {
    // A parse error while a batch is in flight: let that batch finish (and its position
    // be saved) before reporting the error; its own failure, if any, is the lesser news.
    await inFlight?.catch(() => {});
    progress.finish();
  }
  return { points: state.points, skipped: state.skipped, pointsThisRun };
}

/** How to turn lines into points, and where the points start (past a CSV header). */
async function pointParser(input: ImportFileInput) {
  if (input.format === "jsonl") {
    return { start: { offset: 0, linesBefore: 0 }, point: (line: FileLine) => jsonlPoint(line.text, line.number, input.dimension) };
  }
  let header: FileLine | undefined;
  for await (const line of readFileLines(input.file)) {
    header = line;
    break;
  }
  if (!header) throw new Error(`${input.file} is empty: a CSV file starts with a header line (id, vector or v0..vN, payload columns)`);
  const layout = csvLayout(header.text, input.dimension);
  return {
    start: { offset: header.endOffset, linesBefore: 1 },
    point: (line: FileLine) => csvPoint(layout, line.text, line.number, input.dimension),
  };
}
