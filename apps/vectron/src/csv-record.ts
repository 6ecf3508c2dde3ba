/**
 * Splits one CSV record (RFC 4180, comma-separated) into its cells: a cell in double
 * quotes may hold commas and doubled quotes (`""`). A record is one line: quoted cells
 * with line breaks are not supported (the importer reads, and resumes, line by line).
 * Returns a string describing the problem instead of the cells when the quoting is broken.
 */
export function splitCsvRecord(text: string): string[] | string {
  const cells: string[] = [];
  let at = 0;
  for (;;) {
    if (text[at] === '"') {
      let cell = "";
      let from = at + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote === -1) return `column ${cells.length + 1}: a quoted cell is not closed (line breaks inside cells are not supported)`;
        cell += text.slice(from, quote);
        if (text[quote + 1] === '"') {
          cell += '"';
          from = quote + 2;
          continue;
        }
        at = quote + 1;
        break;
      }
      cells.push(cell);
      if (at < text.length && text[at] !== ",") return `column ${cells.length}: unexpected text after a closing quote`;
    } else {
      const comma = text.indexOf(",", at);
      const end = comma === -1 ? text.length : comma;
      cells.push(text.slice(at, end));
      at = end;
    }
    if (at >= text.length) return cells;
    at += 1; // past the comma
  }
}
