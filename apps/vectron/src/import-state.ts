import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { writeFileAtomically } from "@vectron/durable-file";

/**
 * Where an import stands, saved after each batch the server acknowledged: every line
 * before `offset` is stored (or was skipped as invalid), so a later `--resume` reads on
 * from there.
 */
export interface ImportState {
  version: 1;
  /** The imported file, absolute, with its size and modification time when it started. */
  file: string;
  fileSize: number;
  fileMtimeMs: number;
  collection: string;
  /** Byte offset just past the last acknowledged line, and that line's number. */
  offset: number;
  line: number;
  /** Points acknowledged and invalid lines skipped, from the file's start. */
  points: number;
  skipped: number;
}

/** The state file's default path: beside the imported file. */
export function defaultStatePath(file: string): string {
  return `${file}.vectron-import.json`;
}

/** The saved state, or undefined when there is none. Throws when it is unreadable. */
export function readImportState(path: string): ImportState | undefined {
  if (!existsSync(path)) return undefined;
  let state: ImportState;
  try {
    state = JSON.parse(readFileSync(path, "utf8")) as ImportState;
  } catch (err) {
    throw new Error(`the import state ${path} is not readable JSON (${(err as Error).message}): delete it to start over`);
  }
  if (state.version !== 1 || !Number.isSafeInteger(state.offset) || !Number.isSafeInteger(state.line)) {
    throw new Error(`the import state ${path} is not one this version writes: delete it to start over`);
  }
  return state;
}

/**
 * Checks that a saved state belongs to this import: same collection, same file, not
 * changed since (same size and modification time). Resuming on another file would skip
 * lines that were never imported.
 */
export function checkResumable(state: ImportState, file: string, collection: string, statePath: string): void {
  if (state.collection !== collection) {
    throw new Error(`${statePath} is an import into ${JSON.stringify(state.collection)}, not ${JSON.stringify(collection)}`);
  }
  const stat = statSync(file);
  if (state.file !== file || stat.size !== state.fileSize || stat.mtimeMs !== state.fileMtimeMs) {
    throw new Error(`${file} changed since ${statePath} was written (size or modification time): delete the state file to import it from the start`);
  }
}

/** Saves the state so that a crash leaves either the previous one or this one, whole. */
export function saveImportState(path: string, state: ImportState): void {
  writeFileAtomically(path, `${JSON.stringify(state, null, 2)}\n`);
}

/** Removes the state once the whole file is imported. */
export function removeImportState(path: string): void {
  rmSync(path, { force: true });
}
