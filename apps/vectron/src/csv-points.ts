import type { JsonValue, Payload, PointInput } from "@vectron/client";
import { splitCsvRecord } from "./csv-record";
import { InvalidPointError } from "./invalid-point-error";
import { idProblem, vectorProblem } from "./point-fields";

/** Which columns of a CSV file hold the id, the vector and the payload. */
export interface CsvLayout {
  columns: string[];
  idColumn: number;
  /** One `vector` column, or the columns v0, v1, ... in vector order. */
  vector: { kind: "cell"; column: number } | { kind: "columns"; columns: number[] };
  /** Every other column, by name: one payload key each. */
  payloadColumns: { name: string; column: number }[];
}

const VECTOR_COLUMN = /^v(\d+)$/;

/**
 * Reads a CSV header line: an `id` column, and either a `vector` column or columns
 * `v0`..`v<dimension-1>`; every other column is a payload key. Throws when the header
 * cannot describe points of `dimension` numbers.
 */
export function csvLayout(header: string, dimension: number): CsvLayout {
  const columns = splitCsvRecord(header.replace(/^\uFEFF/, ""));
  if (typeof columns === "string") throw new Error(`line 1 (the CSV header): ${columns}`);
  const names = columns.map((name) => name.trim());
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) throw new Error(`line 1 (the CSV header): column ${JSON.stringify(duplicate)} appears twice`);
  const idColumn = names.indexOf("id");
  if (idColumn === -1) throw new Error('line 1 (the CSV header): no "id" column');
  const vectorColumn = names.indexOf("vector");
  const numbered = names.flatMap((name, column) => {
    const match = VECTOR_COLUMN.exec(name);
    return match ? [{ index: Number(match[1]), column }] : [];
  });
  if (vectorColumn !== -1 && numbered.length > 0) throw new Error('line 1 (the CSV header): both a "vector" column and v0, v1... columns');
  let vector: CsvLayout["vector"];
  if (vectorColumn !== -1) vector = { kind: "cell", column: vectorColumn };
  else if (numbered.length > 0) {
    numbered.sort((a, b) => a.index - b.index);
    const gap = numbered.findIndex((entry, i) => entry.index !== i);
    if (gap !== -1 || numbered.length !== dimension) {
      throw new Error(`line 1 (the CSV header): the vector columns must be v0..v${dimension - 1} (the collection's dimension is ${dimension}), found ${numbered.length} v-columns`);
    }
    vector = { kind: "columns", columns: numbered.map((entry) => entry.column) };
  } else throw new Error('line 1 (the CSV header): no "vector" column and no v0, v1... columns');
  const vectorColumns = new Set(vector.kind === "cell" ? [vector.column] : vector.columns);
  const payloadColumns = names.flatMap((name, column) => (column === idColumn || vectorColumns.has(column) ? [] : [{ name, column }]));
  return { columns: names, idColumn, vector, payloadColumns };
}

/**
 * One CSV data line as a point. The `vector` cell is a JSON array (`[0.1, 0.2]`) or
 * numbers separated by spaces or semicolons (`0.1 0.2`, `0.1;0.2`). A payload cell that
 * is valid JSON (`42`, `true`, `["a"]`, `"quoted"`) becomes that value, any other text a
 * string; empty cells are left out of the payload.
 */
export function csvPoint(layout: CsvLayout, text: string, line: number, dimension: number): PointInput {
  const cells = splitCsvRecord(text);
  if (typeof cells === "string") throw new InvalidPointError(line, "line", cells);
  if (cells.length !== layout.columns.length) {
    throw new InvalidPointError(line, "line", `has ${cells.length} cells, the header ${layout.columns.length}`);
  }
  const id = cells[layout.idColumn]!;
  const idIssue = idProblem(id);
  if (idIssue) throw new InvalidPointError(line, idIssue.field, idIssue.reason);
  const vector = layout.vector.kind === "cell" ? vectorOfCell(cells[layout.vector.column]!, line) : layout.vector.columns.map((column) => numberOfCell(cells[column]!));
  const vectorIssue = vectorProblem(vector, dimension);
  if (vectorIssue) {
    const field = layout.vector.kind === "columns" ? vectorIssue.field.replace(/^vector\[(\d+)\]$/, "v$1") : vectorIssue.field;
    throw new InvalidPointError(line, field, vectorIssue.reason);
  }
  const payload: Payload = {};
  for (const { name, column } of layout.payloadColumns) {
    const cell = cells[column]!;
    if (cell !== "") payload[name] = payloadValueOf(cell);
  }
  return { id, vector: vector as number[], payload };
}

function vectorOfCell(cell: string, line: number): unknown {
  const trimmed = cell.trim();
  if (trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed);
    } catch {
      throw new InvalidPointError(line, "vector", "starts with [ but is not a JSON array");
    }
  }
  return trimmed === "" ? [] : trimmed.split(/[\s;,]+/).map(numberOfCell);
}

/** A number, or the cell's text when it is none (so the error quotes it). */
function numberOfCell(cell: string): number | string {
  const trimmed = cell.trim();
  const value = trimmed === "" ? Number.NaN : Number(trimmed);
  return Number.isFinite(value) ? value : cell;
}

function payloadValueOf(cell: string): JsonValue {
  try {
    return JSON.parse(cell) as JsonValue;
  } catch {
    return cell;
  }
}
