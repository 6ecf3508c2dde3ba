/** The markers around the cluster section of bench/README.md, written by bench/cluster-bench.ts. */
const START = "<!-- cluster-bench:start -->";
const END = "<!-- cluster-bench:end -->";

/** `readme` with its cluster section replaced by `section` (appended when there is none). */
export function spliceClusterSection(readme: string, section: string): string {
  const block = `${START}\n${section.trim()}\n${END}`;
  const at = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (at < 0 || end < at) return `${readme.trimEnd()}\n\n${block}\n`;
  return `${readme.slice(0, at)}${block}${readme.slice(end + END.length)}`;
}

/** The cluster section of an existing bench/README.md (markers included), or "" when it has none. */
export function existingClusterSection(readme: string): string {
  const at = readme.indexOf(START);
  const end = readme.indexOf(END);
  return at < 0 || end < at ? "" : readme.slice(at, end + END.length);
}
