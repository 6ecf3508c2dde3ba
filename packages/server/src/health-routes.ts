import { Hono } from "hono";
import { PrometheusText } from "./prometheus-text";
import { secretMatch } from "./secret-match";

/** Each readiness check by name: undefined when it passes, else why it does not. */
export type ReadinessChecks = Record<string, string | undefined>;

export interface HealthSource {
  /** False while starting or shutting down. */
  ready: () => boolean;
  /** What this node's roles need (database, placement, shards...), checked at each /readyz. */
  checks?: () => Promise<ReadinessChecks>;
  /** Serves /metrics when given. */
  metrics?: MetricsEndpoint;
}

export interface MetricsEndpoint {
  /** The exposition's metric families, appended to `text`. */
  write: (text: PrometheusText) => Promise<void> | void;
  /**
   * The bearer token a scrape must present (the cluster secret), or undefined to serve
   * /metrics to anyone who can reach the port.
   */
  bearerToken: string | undefined;
}

/**
 * The plain-HTTP side of a node. `/healthz` (alias `/health`): the process answers.
 * `/readyz` (alias `/ready`): 200 only when the node is started and every check passes,
 * else 503 saying which failed. `/metrics`: Prometheus text format 0.0.4, behind
 * `Authorization: Bearer <token>` unless the endpoint has no token.
 */
export function createHealthRoutes(source: HealthSource): Hono {
  const app = new Hono();
  const alive = () => new Response(JSON.stringify({ status: "ok" }), { headers: { "content-type": "application/json" } });
  app.get("/healthz", alive);
  app.get("/health", alive);
  const ready = async () => {
    const checks: ReadinessChecks = { started: source.ready() ? undefined : "starting or shutting down" };
    if (checks.started === undefined && source.checks) Object.assign(checks, await source.checks());
    const failing = Object.entries(checks).filter(([, why]) => why !== undefined);
    const body = { status: failing.length === 0 ? "ready" : "unavailable", checks: Object.fromEntries(Object.entries(checks).map(([name, why]) => [name, why ?? "ok"])) };
    return new Response(JSON.stringify(body), { status: failing.length === 0 ? 200 : 503, headers: { "content-type": "application/json" } });
  };
  app.get("/readyz", ready);
  app.get("/ready", ready);
  const metrics = source.metrics;
  if (metrics) {
    const allowed = bearerCheck(metrics.bearerToken);
    app.get("/metrics", async (c) => {
      if (!allowed(c.req.header("authorization"))) {
        return c.json({ error: "metrics need Authorization: Bearer <cluster secret> (or VECTRON_METRICS_PUBLIC=1 on the node)" }, 401, { "www-authenticate": 'Bearer realm="vectron metrics"' });
      }
      const text = new PrometheusText();
      await metrics.write(text);
      return new Response(text.toString(), { headers: { "content-type": PrometheusText.contentType } });
    });
  }
  return app;
}

/** The time taken says nothing about the token (secretMatch). */
function bearerCheck(token: string | undefined): (header: string | undefined) => boolean {
  if (token === undefined) return () => true;
  const matches = secretMatch(token);
  return (header) => {
    const match = /^Bearer (.+)$/i.exec(header ?? "");
    return match !== null && matches(match[1]);
  };
}
