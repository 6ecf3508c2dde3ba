#!/usr/bin/env bun
import { clusterUsage, runClusterCommand } from "./cluster-command";
import { readServeConfig, serveUsage } from "./config";
import { serve } from "./serve";

const usage = `Usage: vectron <command>

Commands:
  serve     start Vectron (all roles in one process, or some as a cluster node);
            see vectron serve --help
  cluster   operations: placement status, workers, drain; see vectron cluster --help
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "cluster") {
    try {
      return await runClusterCommand(rest, process.env, (line) => console.log(line));
    } catch (err) {
      process.stderr.write(`vectron cluster: ${(err as Error).message}\n\n${clusterUsage}`);
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
  // Tests and scripts read this line to learn the ports (useful with --port 0).
  console.log(
    `vectron listening http=${config.host}:${node.httpPort} grpc=${config.host}:${node.grpcPort} data=${config.dataDir}`,
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`vectron: ${signal} received, finishing in-flight requests`);
    node.stop().then(
      () => {
        console.log("vectron: stopped");
        process.exit(0);
      },
      (err) => {
        console.error("vectron: error while stopping", err);
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
