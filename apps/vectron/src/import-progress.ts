/** What an import has done so far, as the progress display shows it. */
export interface ImportProgressSnapshot {
  /** Bytes of the file read up to the last acknowledged batch, and the file's size. */
  bytesDone: number;
  bytesTotal: number;
  /** Points acknowledged from the file's start, and by this run (for the rate). */
  points: number;
  pointsThisRun: number;
  skipped: number;
}

/** Shows an import's progress; `finish` leaves the terminal on a fresh line. */
export interface ImportProgress {
  update(progress: ImportProgressSnapshot): void;
  finish(): void;
}

const PLAIN_INTERVAL_MS = 2000;
const BAR_WIDTH = 30;

/**
 * On a terminal, one line redrawn in place: a bar by bytes, done/total, points/s. Else
 * (a log file, a pipe) a plain line at most every 2 s, so logs stay readable.
 */
export function createImportProgress(stream: NodeJS.WriteStream, label: string, now: () => number = () => performance.now()): ImportProgress {
  const started = now();
  let lastPlain = -Infinity;
  let drawn = false;
  const describe = (p: ImportProgressSnapshot) => {
    const seconds = Math.max((now() - started) / 1000, 1e-3);
    const rate = Math.round(p.pointsThisRun / seconds);
    const skipped = p.skipped > 0 ? `, ${p.skipped} invalid skipped` : "";
    return `${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}  ${p.points.toLocaleString("en-US")} points  ${rate.toLocaleString("en-US")} points/s${skipped}`;
  };
  const fraction = (p: ImportProgressSnapshot) => (p.bytesTotal === 0 ? 1 : p.bytesDone / p.bytesTotal);
  if (stream.isTTY) {
    return {
      update(p) {
        const filled = Math.round(fraction(p) * BAR_WIDTH);
        const percent = `${Math.floor(fraction(p) * 100)}%`.padStart(4);
        stream.write(`\r\x1b[2K${label} [${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}] ${percent}  ${describe(p)}`);
        drawn = true;
      },
      finish() {
        if (drawn) stream.write("\n");
      },
    };
  }
  return {
    update(p) {
      const at = now();
      if (at - lastPlain < PLAIN_INTERVAL_MS && p.bytesDone < p.bytesTotal) return;
      lastPlain = at;
      stream.write(`${label}: ${Math.floor(fraction(p) * 100)}%  ${describe(p)}\n`);
    },
    finish() {},
  };
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
