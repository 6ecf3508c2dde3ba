import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { protocolPaths, startListeners, type ListenersFixture } from "./listeners-fixture";

const LIMIT = 64 * 1024;

/** An upsert whose serialized request is about `bytes` long (one point, a padded payload). */
function upsertOf(bytes: number) {
  return { collection: "c", points: [{ id: "a", vector: [1, 2, 3], payload: { pad: "x".repeat(bytes) } }] };
}

describe("request size limit", () => {
  let listeners: ListenersFixture;
  beforeAll(async () => {
    listeners = await startListeners({ readMaxBytes: LIMIT, deadlines: { maxMs: 60_000, defaultMs: 30_000 } });
  });
  afterAll(async () => {
    await listeners?.stop();
  });

  test.each(protocolPaths)("%s: a body over the limit is refused with resource_exhausted naming it; one under it passes", async (path) => {
    const client = listeners.client(path);
    expect((await client.upsert(upsertOf(LIMIT - 1024))).upserted).toBe(1);
    // Just over, and far over (beyond what any listener buffers by default): gzip bodies
    // are small on the wire, so the limit holds after decompression.
    for (const size of [LIMIT + 16, 64 * LIMIT]) {
      const err = await client.upsert(upsertOf(size)).then(() => undefined, (e: unknown) => e);
      expect(err, `${size} bytes`).toBeInstanceOf(ConnectError);
      expect(Code[(err as ConnectError).code]).toBe("ResourceExhausted");
      expect((err as ConnectError).rawMessage).toContain(String(LIMIT));
    }
  });

  test("connect fast path: a chunked body (no Content-Length) is counted as it arrives", async () => {
    const upsert = (bytes: number) => {
      const json = new TextEncoder().encode(JSON.stringify(upsertOf(bytes)));
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < json.length; at += 16 * 1024) controller.enqueue(json.subarray(at, at + 16 * 1024));
          controller.close();
        },
      });
      return fetch(`${listeners.httpUrl}/vectron.v1.VectronService/Upsert`, { method: "POST", headers: { "content-type": "application/json" }, body });
    };
    expect(await (await upsert(LIMIT / 2)).json()).toEqual({ upserted: 1 });
    const large = await upsert(4 * LIMIT);
    expect(large.status).toBe(429);
    const error = (await large.json()) as { code: string; message: string };
    expect(error.code).toBe("resource_exhausted");
    // The message of the counting branch: no length was declared up front.
    expect(error.message).toBe(`request body is larger than the limit of ${LIMIT} bytes`);
  });

  test("a graceful stop is not held up by the unread rest of refused bodies", async () => {
    // Bodies refused before they were read leave the client with bytes to send: the
    // listeners must close those connections (HTTP/1.1) or reset those streams (HTTP/2).
    const outcome = await Promise.race([listeners.stop().then(() => "stopped"), Bun.sleep(10_000).then(() => "still waiting")]);
    expect(outcome).toBe("stopped");
  });
});
