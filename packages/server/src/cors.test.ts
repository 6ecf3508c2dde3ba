import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startListeners, type ListenersFixture } from "./listeners-fixture";

const ALLOWED = "https://app.example.com";
const LIST = "/vectron.v1.VectronService/ListCollections";

function preflight(url: string, origin: string): Promise<Response> {
  return fetch(url, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type, connect-protocol-version",
    },
  });
}

function call(url: string, origin: string): Promise<Response> {
  return fetch(url, { method: "POST", headers: { origin, "content-type": "application/json" }, body: "{}" });
}

describe("CORS", () => {
  let open: ListenersFixture;
  let closed: ListenersFixture;
  beforeAll(async () => {
    const deadlines = { maxMs: 60_000, defaultMs: 30_000 };
    open = await startListeners({ readMaxBytes: 1 << 20, deadlines, corsOrigins: [ALLOWED] });
    closed = await startListeners({ readMaxBytes: 1 << 20, deadlines });
  });
  afterAll(async () => {
    await open?.stop();
    await closed?.stop();
  });

  test("an allowed origin's preflight is answered with the headers Connect clients send", async () => {
    const answer = await preflight(open.httpUrl + LIST, ALLOWED);
    expect(answer.status).toBe(204);
    expect(answer.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    const allowed = answer.headers.get("access-control-allow-headers")!.split(", ");
    for (const header of ["authorization", "content-type", "connect-protocol-version", "connect-timeout-ms", "x-grpc-web"]) {
      expect(allowed).toContain(header);
    }
    expect(answer.headers.get("access-control-allow-credentials")).toBeNull();
  });

  test("an allowed origin's call carries the origin and exposes the status and retry headers", async () => {
    const answer = await call(open.httpUrl + LIST, ALLOWED);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(answer.headers.get("access-control-expose-headers")).toContain("retry-after-ms");
    expect(answer.headers.get("vary")).toContain("Origin");
  });

  test("another origin, or any origin when none is configured, gets no Access-Control headers", async () => {
    for (const [listeners, origin] of [
      [open, "https://evil.example"],
      [closed, ALLOWED],
    ] as const) {
      const refused = await preflight(listeners.httpUrl + LIST, origin);
      expect(refused.headers.get("access-control-allow-origin")).toBeNull();
      expect(refused.status).not.toBe(204);
      const answered = await call(listeners.httpUrl + LIST, origin);
      expect(answered.headers.get("access-control-allow-origin")).toBeNull();
    }
  });

  test("paths that are not RPCs are left alone", async () => {
    const answer = await preflight(open.httpUrl + "/nothing-here", ALLOWED);
    expect(answer.status).toBe(404);
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
  });
});
