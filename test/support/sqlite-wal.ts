import { readFileSync } from "node:fs";

/**
 * Reads a SQLite write-ahead log the way recovery does (https://sqlite.org/fileformat.html#the_write_ahead_log):
 * frames count only while their salts match the header's and their cumulative checksums
 * hold, so a test can damage a WAL exactly where a crash would have: inside its last frame.
 */

/** One valid frame: where it starts, and whether it ends a transaction. */
export interface WalFrame {
  offset: number;
  pageNumber: number;
  /** A commit frame carries the database size after the commit. */
  commit: boolean;
}

export interface WalLayout {
  pageSize: number;
  /** Bumped each time the log is restarted after a checkpoint. */
  checkpointSequence: number;
  /** The valid frames, in order (stale frames of an earlier generation excluded). */
  frames: WalFrame[];
}

const HEADER_BYTES = 32;
const FRAME_HEADER_BYTES = 24;

export function readWal(path: string): WalLayout {
  const bytes = readFileSync(path);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) throw new Error(`${path}: not a SQLite WAL (magic ${magic.toString(16)})`);
  const bigEndianWords = magic === 0x377f0683;
  const pageSize = view.getUint32(8);
  const salts = [view.getUint32(16), view.getUint32(20)];
  let sums = checksum(view, 0, 24, [0, 0], bigEndianWords);
  if (sums[0] !== view.getUint32(24) || sums[1] !== view.getUint32(28)) throw new Error(`${path}: WAL header checksum mismatch`);
  const frames: WalFrame[] = [];
  for (let offset = HEADER_BYTES; offset + FRAME_HEADER_BYTES + pageSize <= bytes.length; offset += FRAME_HEADER_BYTES + pageSize) {
    if (view.getUint32(offset + 8) !== salts[0] || view.getUint32(offset + 12) !== salts[1]) break;
    sums = checksum(view, offset, 8, sums, bigEndianWords);
    sums = checksum(view, offset + FRAME_HEADER_BYTES, pageSize, sums, bigEndianWords);
    if (sums[0] !== view.getUint32(offset + 16) || sums[1] !== view.getUint32(offset + 20)) break;
    frames.push({ offset, pageNumber: view.getUint32(offset), commit: view.getUint32(offset + 4) !== 0 });
  }
  return { pageSize, checkpointSequence: view.getUint32(12), frames };
}

/** SQLite's WAL checksum over `length` bytes (a multiple of 8) from `start`, continuing `sums`. */
function checksum(view: DataView, start: number, length: number, sums: number[], bigEndian: boolean): number[] {
  let [s0, s1] = sums as [number, number];
  for (let at = start; at < start + length; at += 8) {
    s0 = (s0 + view.getUint32(at, !bigEndian) + s1) >>> 0;
    s1 = (s1 + view.getUint32(at + 4, !bigEndian) + s0) >>> 0;
  }
  return [s0, s1];
}
