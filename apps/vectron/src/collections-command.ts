import { parseArgs } from "node:util";
import type { CollectionInfo, Metric, PayloadIndexKind, PayloadIndexSpec } from "@vectron/client";
import { toInt } from "./integer-setting";
import { connectionOptions, connectionUsage, connectToServer } from "./server-connection";

export const collectionsUsage = `Usage: vectron collections <command> [options]

Commands:
  ls                          your collections: name, dimension, metric, points, shards...
  create <name> --dimension <n> --metric <cosine|euclidean|dot>
         [--shards <n>] [--replicas <n>] [--payload-index <key>:<keyword|integer|float|bool>]...
  rm <name>                   delete a collection and all its points

${connectionUsage}
`;

const METRICS: readonly Metric[] = ["cosine", "euclidean", "dot"];
const INDEX_KINDS: readonly PayloadIndexKind[] = ["keyword", "integer", "float", "bool"];

/** `vectron collections ...`; returns the exit code. */
export async function runCollectionsCommand(args: string[], env: Record<string, string | undefined>, out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...connectionOptions,
      dimension: { type: "string" },
      metric: { type: "string" },
      shards: { type: "string" },
      replicas: { type: "string" },
      "payload-index": { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
    strict: true,
  });
  const [command, ...operands] = positionals;
  if (values.help || !command) {
    out(collectionsUsage);
    return values.help ? 0 : 2;
  }
  if (command === "ls" && operands.length === 0) {
    const collections = await connectToServer(values, env).listCollections();
    for (const line of collectionTable(collections)) out(line);
    return 0;
  }
  if (command === "create" && operands.length === 1) {
    if (values.dimension === undefined || values.metric === undefined) throw new Error("create: pass --dimension <n> and --metric <cosine|euclidean|dot>");
    if (!METRICS.includes(values.metric as Metric)) throw new Error(`create: --metric must be one of ${METRICS.join(", ")}, not ${JSON.stringify(values.metric)}`);
    const created = await connectToServer(values, env).createCollection({
      name: operands[0]!,
      dimension: toInt("--dimension", values.dimension, 1, 1_000_000),
      metric: values.metric as Metric,
      shards: values.shards === undefined ? undefined : toInt("--shards", values.shards, 1, 10_000),
      replicationFactor: values.replicas === undefined ? undefined : toInt("--replicas", values.replicas, 1, 1000),
      payloadIndexes: (values["payload-index"] ?? []).map(payloadIndexOf),
    });
    out(`created ${created.name}: dimension ${created.dimension}, ${created.metric}, ${created.shards} shard(s) x ${created.replicationFactor} replica(s)`);
    return 0;
  }
  if (command === "rm" && operands.length === 1) {
    await connectToServer(values, env).deleteCollection(operands[0]!);
    out(`deleted ${operands[0]}`);
    return 0;
  }
  throw new Error(`unknown command or wrong operands: ${JSON.stringify(positionals.join(" "))}`);
}

/** Column-aligned lines: a header, then one collection per line. */
function collectionTable(collections: CollectionInfo[]): string[] {
  const rows = [
    ["name", "dimension", "metric", "points", "shards", "replicas", "payload indexes"],
    ...collections.map((c) => [
      c.name,
      String(c.dimension),
      c.metric,
      String(c.pointCount),
      String(c.shards),
      String(c.replicationFactor),
      c.payloadIndexes.map((index) => `${index.key}:${index.kind}`).join(",") || "-",
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd());
}

/** `--payload-index lang:keyword` as a PayloadIndexSpec. */
export function payloadIndexOf(text: string): PayloadIndexSpec {
  const colon = text.lastIndexOf(":");
  const kind = text.slice(colon + 1) as PayloadIndexKind;
  if (colon <= 0 || !INDEX_KINDS.includes(kind)) throw new Error(`--payload-index ${JSON.stringify(text)}: write <key>:<${INDEX_KINDS.join("|")}>`);
  return { key: text.slice(0, colon), kind };
}
