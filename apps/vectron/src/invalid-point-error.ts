/** A line of an import file that is not a valid point: which line, which field, why. */
export class InvalidPointError extends Error {
  readonly code = "ERR_INVALID_POINT";
  constructor(
    /** 1-based line number in the file. */
    readonly line: number,
    /** The field at fault (`id`, `vector`, `payload`, a CSV column) or `line` for the whole line. */
    readonly field: string,
    readonly reason: string,
  ) {
    super(`line ${line}: ${field}: ${reason}`);
    this.name = "InvalidPointError";
  }
}
