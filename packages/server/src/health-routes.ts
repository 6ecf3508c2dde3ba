import { Hono } from "hono";

export interface HealthSource {
  /** False while starting or shutting down. */
  ready: () => boolean;
}

/** The plain-HTTP side of a node: `/health` (process alive) and `/ready` (serving). */
export function createHealthRoutes(source: HealthSource): Hono {
  const app = new Hono();
  app.get("/health", (c) => c.json({ status: "ok" }));
  app.get("/ready", (c) => (source.ready() ? c.json({ status: "ready" }) : c.json({ status: "unavailable" }, 503)));
  return app;
}
