import type { PointInput } from "@vectron/client";
import { InvalidPointError } from "./invalid-point-error";
import { idProblem, payloadOf, payloadProblem, vectorProblem, type FieldProblem } from "./point-fields";

const KNOWN_FIELDS = new Set(["id", "vector", "payload"]);

/**
 * One JSONL line as a point: `{"id": "a", "vector": [0.1, ...], "payload": {...}}`, the
 * payload optional. The format `vectron export` writes. Throws InvalidPointError naming
 * the line and the field.
 */
export function jsonlPoint(text: string, line: number, dimension: number): PointInput {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InvalidPointError(line, "line", `not valid JSON (${(err as Error).message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidPointError(line, "line", 'expected a JSON object {"id", "vector", "payload"}');
  }
  const record = value as Record<string, unknown>;
  const unknownField = Object.keys(record).find((key) => !KNOWN_FIELDS.has(key));
  const problem: FieldProblem =
    idProblem(record.id) ??
    vectorProblem(record.vector, dimension) ??
    payloadProblem(record.payload) ??
    (unknownField === undefined ? undefined : { field: unknownField, reason: 'unknown field (a point has "id", "vector" and "payload")' });
  if (problem) throw new InvalidPointError(line, problem.field, problem.reason);
  return { id: record.id as string, vector: record.vector as number[], payload: payloadOf(record.payload) };
}
