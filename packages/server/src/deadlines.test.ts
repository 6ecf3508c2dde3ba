import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { startHttpServer } from "./http-server";
import { protocolPaths, startListeners, type ListenersFixture } from "./listeners-fixture";

const deadlines = { maxMs: 1000, defaultMs: 500 };

async function codeOf(call: Promise<unknown>): Promise<string> {
  const err = await call.then(() => "ok" as const, (e: unknown) => e);
  if (err === "ok") return "ok";
  return err instanceof ConnectError ? Code[err.code] : `not a ConnectError: ${String(err)}`;
}

describe("server-side deadlines", () => {
  let listeners: ListenersFixture;
  beforeAll(async () => {
    listeners = await startListeners({ readMaxBytes: 1 << 20, deadlines });
  });
  afterAll(async () => {
    await listeners?.stop();
  });

  test.each(protocolPaths)("%s: no client timeout gets the default, a longer one is clamped, a shorter one kept", async (path) => {
    const client = listeners.client(path);
    // count() answers the milliseconds its handler had left when it started.
    const [none, longer, shorter] = await Promise.all([
      client.count({ collection: "deadline" }),
      client.count({ collection: "deadline" }, { timeoutMs: 600_000 }),
      client.count({ collection: "deadline" }, { timeoutMs: 300 }),
    ]);
    expect(Number(none.count)).toBeLessThanOrEqual(deadlines.defaultMs);
    expect(Number(none.count)).toBeGreaterThan(deadlines.defaultMs / 2);
    expect(Number(longer.count)).toBeLessThanOrEqual(deadlines.maxMs);
    expect(Number(longer.count)).toBeGreaterThan(deadlines.defaultMs);
    expect(Number(shorter.count)).toBeLessThanOrEqual(300);
    expect(Number(shorter.count)).toBeGreaterThan(0);
  });

  test.each(protocolPaths)("%s: a handler still running at the deadline is answered deadline_exceeded", async (path) => {
    const client = listeners.client(path);
    // The handler takes SLOW_CALL_MS and ignores ctx.signal; the clients would wait a
    // minute, so deadline_exceeded can only come from the server's own deadline.
    const [unset, clamped] = await Promise.all([
      codeOf(client.count({ collection: "slow" })),
      codeOf(client.count({ collection: "slow" }, { timeoutMs: 60_000 })),
    ]);
    expect(unset).toBe("DeadlineExceeded");
    expect(clamped).toBe("DeadlineExceeded");
    // The listener still answers normally afterwards.
    expect((await client.upsert({ collection: "c", points: [{ id: "a", vector: [1] }] })).upserted).toBe(1);
  });

  test("a listener refuses a policy whose default exceeds its maximum, naming both", () => {
    const routes = { services: [], options: { readMaxBytes: 1024 }, toConnectError: ConnectError.from, deadlines: { maxMs: 100, defaultMs: 200 } };
    expect(() => startHttpServer({ hostname: "127.0.0.1", port: 0, routes, fallback: () => new Response() })).toThrow(/defaultMs \(200\).*maxMs \(100\)/);
  });
});
