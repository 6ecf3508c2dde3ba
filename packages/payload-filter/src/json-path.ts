/**
 * The SQLite JSON path (`$."a"."b"`) of a key's segments. Every segment is quoted, so
 * `$`, `[`, `]`, `*`, spaces and digits are plain label text. SQLite decodes JSON escapes
 * inside a quoted label when it compares labels, so a `"` is written `\u0022`: the label
 * then holds no quote character at all and its end is unambiguous, whatever a given
 * SQLite's scanner makes of `\"`. A backslash is written `\\`, control characters
 * `\u00XX`; everything else, non-ASCII included, as is.
 */
export function jsonPathOf(path: string[]): string {
  return "$" + path.map((segment) => `."${escapeLabel(segment)}"`).join("");
}

function escapeLabel(segment: string): string {
  return segment.replace(/["\\\u0000-\u001f]/g, (char) =>
    char === "\\" ? "\\\\" : `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
