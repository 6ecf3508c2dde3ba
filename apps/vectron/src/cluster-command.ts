import { parseArgs } from "node:util";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { createInternalClient } from "@vectron/internal-client";
import { readTrustedCa } from "@vectron/server";
import { PlacementService } from "@vectron/proto/placement/v1";
import { loadOrCreateSecret } from "./node-secrets";

export const clusterUsage = `Usage: vectron cluster <command> [options]

Operations on a running Vectron (a cluster or the single node), through placement.

Commands:
  status                 which placement process leads
  workers                workers with their lease, draining flag and replica count
  drain <worker-id>      move every replica off a worker (before maintenance); watch
                         "workers" until its replica count is 0
  undrain <worker-id>    take a drained worker back into service

Options:
  --placement <urls>     comma-separated base URLs of placement nodes
                         [VECTRON_PLACEMENT_URLS] (default http://127.0.0.1:8080)
  --data-dir <dir>       read the cluster secret a single node generated there
                         (when VECTRON_CLUSTER_SECRET is not set)

VECTRON_TLS_CA: PEM file of the CA that signed the placement nodes' certificates,
for https:// placement URLs with a private CA.
`;

/** `vectron cluster ...`: prints what placement says; returns the exit code. */
export async function runClusterCommand(args: string[], env: Record<string, string | undefined>, out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { placement: { type: "string" }, "data-dir": { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
    strict: true,
  });
  const [command, workerId] = positionals;
  if (values.help || !command) {
    out(clusterUsage);
    return values.help ? 0 : 2;
  }
  const secret = env.VECTRON_CLUSTER_SECRET || (values["data-dir"] ? loadOrCreateSecret(values["data-dir"], "cluster-secret", undefined) : undefined);
  if (!secret) throw new Error("set VECTRON_CLUSTER_SECRET, or pass --data-dir of a single node");
  const baseUrls = (values.placement ?? env.VECTRON_PLACEMENT_URLS ?? "http://127.0.0.1:8080").split(",").map((url) => url.trim());
  // Placement nodes serving TLS with a private CA: trust the CA the nodes trust.
  const trustedCa = env.VECTRON_TLS_CA ? readTrustedCa(env.VECTRON_TLS_CA, "VECTRON_TLS_CA") : undefined;
  const placement = createInternalClient(PlacementService, { baseUrls, clusterSecret: secret, timeoutMs: 5000, trustedCa });
  switch (command) {
    case "status": {
      const status = await placement.getPlacementStatus({});
      out(`answered by ${status.nodeId} (${status.leading ? "leading" : "standing by"}); leader: ${status.leaderNodeId || "none yet"}`);
      return 0;
    }
    case "workers": {
      const { workers } = await placement.listWorkers({});
      out("worker                 live   draining  replicas  lease until               address");
      for (const w of workers) {
        const lease = w.leaseExpiresAt ? timestampDate(w.leaseExpiresAt).toISOString() : "-";
        out(`${w.id.padEnd(22)} ${String(w.live).padEnd(6)} ${String(w.draining).padEnd(9)} ${String(w.replicaCount).padEnd(9)} ${lease.padEnd(25)} ${w.address}`);
      }
      return 0;
    }
    case "drain":
    case "undrain": {
      if (!workerId) throw new Error(`${command}: give the worker id (see "vectron cluster workers")`);
      const { worker } = await placement.setWorkerDraining({ workerId, draining: command === "drain" });
      out(`${worker?.id}: draining=${worker?.draining}, ${worker?.replicaCount} replica(s)`);
      return 0;
    }
    default:
      out(clusterUsage);
      return 2;
  }
}
