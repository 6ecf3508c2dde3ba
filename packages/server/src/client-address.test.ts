import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CLIENT_ADDRESS_HEADER, clientAddressOf } from "./client-address";
import { protocolPaths, startListeners, type ListenersFixture } from "./listeners-fixture";

describe("client address header", () => {
  let listeners: ListenersFixture;
  beforeAll(async () => {
    listeners = await startListeners({ readMaxBytes: 1 << 20, deadlines: { maxMs: 60_000, defaultMs: 30_000 } });
  });
  afterAll(async () => {
    await listeners?.stop();
  });

  test.each(protocolPaths)("%s: the handler sees the peer's address, never the one the client sent", async (path) => {
    const client = listeners.client(path);
    // listCollections names its one collection after the header the handler was given.
    const honest = await client.listCollections({});
    expect(honest.collections.map((c) => c.name)).toEqual(["127.0.0.1"]);
    const spoofed = await client.listCollections({}, { headers: { [CLIENT_ADDRESS_HEADER]: "203.0.113.9" } });
    expect(spoofed.collections.map((c) => c.name)).toEqual(["127.0.0.1"]);
  });

  test("IPv4 peers of a dual-stack listener lose the ::ffff: prefix; other addresses stay as they are", () => {
    expect(clientAddressOf("::ffff:10.0.0.7")).toBe("10.0.0.7");
    expect(clientAddressOf("10.0.0.7")).toBe("10.0.0.7");
    expect(clientAddressOf("2001:db8::1")).toBe("2001:db8::1");
    expect(clientAddressOf("::1")).toBe("::1");
    expect(clientAddressOf(undefined)).toBe("unknown");
  });
});
