import { formatNumber as n } from "./number-format";
import type { Summary } from "./timing";

/** One line of a figures table, every cell already formatted. */
export interface Row {
  measurement: string;
  protocol: string;
  rate: string;
  p50: string;
  p99: string;
  recall: string;
  ratio: string;
}

const dash = "–";
const micros = (value: number | undefined) => (value === undefined ? dash : n(value));

/** `have / reference` as "0.061× (÷16.4)", or "1.83×" when at least as fast. */
export function ratio(have: number, reference: number): string {
  const r = have / reference;
  return r >= 1 ? `${n(r, 2)}×` : `${n(r, 3)}× (÷${n(1 / r, 1)})`;
}

/** A row of `s` in `unit`, compared with the rate `reference` (usearch's, usually). */
export function row(measurement: string, protocol: string, s: Summary, unit: string, reference: number, recall?: number): Row {
  return {
    measurement,
    protocol,
    rate: `${n(s.perSecond)} ${unit}`,
    p50: micros(s.p50Us),
    p99: micros(s.p99Us),
    recall: recall === undefined ? dash : n(recall, 3),
    ratio: ratio(s.perSecond, reference),
  };
}

/** Rows as a Markdown table with the figures right-aligned. */
export function renderRows(rows: readonly Row[], referenceHeader = "vs usearch"): string {
  const header = ["Measurement", "Client / protocol", "Rate", "p50 (µs)", "p99 (µs)", "recall@10", referenceHeader];
  const cells = rows.map((r) => [r.measurement, r.protocol, r.rate, r.p50, r.p99, r.recall, r.ratio]);
  return renderGrid(header, cells, [2, 3, 4, 5]);
}

/** Any table: a header row and rows of cells; `right` marks right-aligned columns. */
export function renderGrid(header: readonly string[], rows: readonly (readonly string[])[], right: readonly number[] = []): string {
  const lines = [`| ${header.join(" | ")} |`, `|${header.map((_, i) => (right.includes(i) ? "---:" : "---")).join("|")}|`];
  for (const cells of rows) lines.push(`| ${cells.join(" | ")} |`);
  return lines.join("\n");
}
