#!/usr/bin/env bun
import { authUsage, runAuthCommand } from "./auth-command";
import { clusterUsage, runClusterCommand } from "./cluster-command";
import { isClientCommand, runClientCommand } from "./client-commands";
import { readServeConfig, serveUsage } from "./config";
import { serve } from "./serve";
import { runUsersCommand, usersUsage } from "./users-command";

const usage = `Usage: vectron <command>

Commands:
  serve     start Vectron (all roles in one process, or some as a cluster node);
            see vectron serve --help
  cluster   operations: placement status, workers, drain; see vectron cluster --help
  auth      rotate-jwt-key: a new session signing key; see vectron auth --help
  users     accounts: ls, set-plan <email> <free|paid>; see vectron users --help

Your data, over the API (--url, --api-key or VECTRON_API_KEY; see vectron <command> --help):
  collections  ls, create <name> --dimension <n> --metric <cosine|euclidean|dot>, rm <name>
  import       <collection> <file.jsonl|file.csv>: streamed, batched, resumable (--resume)
  export       <collection> [--out file.jsonl]: every point as JSONL, which import reads
  snapshot     create <collection> --out <dir>, restore <dir> [--as <name>]
`;

type Run = (args: string[], env: Record<string, string | undefined>, out: (line: string) => void) => number | Promise<number>;

/** The operators' commands: a failure prints its message and the command's usage, exit 1. */
const operatorCommands: Record<string, { usage: string; run: Run }> = {
  cluster: { usage: clusterUsage, run: runClusterCommand },
  auth: { usage: authUsage, run: runAuthCommand },
  users: { usage: usersUsage, run: runUsersCommand },
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (isClientCommand(command)) return await runClientCommand(command, rest);
  const operator = command !== undefined && Object.hasOwn(operatorCommands, command) ? operatorCommands[command]! : undefined;
  if (operator) {
    try {
      return await operator.run(rest, process.env, (line) => console.log(line));
    } catch (err) {
      process.stderr.write(`vectron ${command}: ${(err as Error).message}\n\n${operator.usage}`);
      return 1;
    }
  }
  if (command !== "serve") {
    process.stderr.write(usage);
    return command === undefined || command === "--help" || command === "-h" ? 0 : 2;
  }
  let config;
  try {
    config = readServeConfig(rest, process.env);
  } catch (err) {
    process.stderr.write(`vectron serve: ${(err as Error).message}\n\n${serveUsage}`);
    return 2;
  }
  if (config === "help") {
    process.stdout.write(serveUsage);
    return 0;
  }
  const node = await serve(config);
  // Tests and scripts read this message to learn the ports (useful with --port 0); in
  // JSON format it is the `msg` of a log line, unchanged.
  node.log.info(
    `vectron listening http=${config.host}:${node.httpPort} grpc=${config.host}:${node.grpcPort} tls=${config.tls ? "on" : "off"} data=${config.dataDir}`,
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    node.log.info(`vectron: ${signal} received, finishing in-flight requests`);
    node.stop().then(
      () => {
        node.log.info("vectron: stopped");
        process.exit(0);
      },
      (err) => {
        node.log.error("vectron: error while stopping", { err });
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err) => {
    console.error("vectron: failed to start:", err);
    process.exit(1);
  },
);
