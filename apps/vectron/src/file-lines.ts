import { createReadStream } from "node:fs";

/** One line of a text file, with where it ends, so a reader can resume after it. */
export interface FileLine {
  /** The line without its `\n` (nor a `\r` before it), decoded as UTF-8. */
  text: string;
  /** 1-based line number in the file. */
  number: number;
  /** Byte offset just past this line's `\n` (the file's size for a last line without one). */
  endOffset: number;
}

/** Where to start reading: a byte offset at the start of a line, and that line's number. */
export interface LinePosition {
  offset: number;
  /** Number of the line starting at `offset`, minus one (0 at the file's start). */
  linesBefore: number;
}

const NEWLINE = 0x0a;

/**
 * Streams the lines of a file from `start` on, a chunk at a time: memory stays bounded
 * by the longest line, whatever the file's size. Offsets count bytes, not characters,
 * so they can be handed back to resume exactly at a line boundary.
 */
export async function* readFileLines(path: string, start: LinePosition = { offset: 0, linesBefore: 0 }): AsyncGenerator<FileLine> {
  const decoder = new TextDecoder("utf-8");
  let pending: Buffer[] = [];
  let offset = start.offset;
  let number = start.linesBefore;
  const lineOf = (bytes: Buffer, endOffset: number): FileLine => {
    let text = decoder.decode(bytes);
    if (text.endsWith("\r")) text = text.slice(0, -1);
    number += 1;
    return { text, number, endOffset };
  };
  for await (const chunk of createReadStream(path, { start: start.offset, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let from = 0;
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, from)) {
      const piece = chunk.subarray(from, at);
      const bytes = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      offset += bytes.length + 1;
      yield lineOf(bytes, offset);
      from = at + 1;
    }
    if (from < chunk.length) pending.push(chunk.subarray(from));
  }
  if (pending.length > 0) {
    const bytes = Buffer.concat(pending);
    offset += bytes.length;
    yield lineOf(bytes, offset);
  }
}
