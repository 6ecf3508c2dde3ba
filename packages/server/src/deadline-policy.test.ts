import { describe, expect, test } from "bun:test";
import { checkDeadlinePolicy, grantDeadline, type RequestHeaderAccess } from "./deadline-policy";

const policy = { maxMs: 1000, defaultMs: 400 };

/** The timeout headers after the server's rewrite of a request carrying `sent`. */
function granted(sent: Record<string, string>): Record<string, string | null> {
  const headers = new Headers(sent);
  const access: RequestHeaderAccess = { get: (name) => headers.get(name) ?? undefined, set: (name, value) => headers.set(name, value) };
  grantDeadline(access, policy);
  return { connect: headers.get("connect-timeout-ms"), grpc: headers.get("grpc-timeout") };
}

describe("grantDeadline", () => {
  test("Connect (JSON, binary, GET without a content type): default when absent, clamped when larger, kept when smaller", () => {
    expect(granted({ "content-type": "application/json" })).toEqual({ connect: "400", grpc: null });
    expect(granted({ "content-type": "application/proto", "connect-timeout-ms": "90000" })).toEqual({ connect: "1000", grpc: null });
    expect(granted({ "connect-timeout-ms": "250" })).toEqual({ connect: "250", grpc: null });
  });

  test("gRPC and gRPC-Web: any unit in, milliseconds out", () => {
    expect(granted({ "content-type": "application/grpc" })).toEqual({ connect: null, grpc: "400m" });
    expect(granted({ "content-type": "application/grpc+proto", "grpc-timeout": "2H" })).toEqual({ connect: null, grpc: "1000m" });
    expect(granted({ "content-type": "application/grpc-web+proto", "grpc-timeout": "250000u" })).toEqual({ connect: null, grpc: "250m" });
  });

  test("gRPC: less than a millisecond (grpc-python sends 1u for a 1 µs timeout) is rounded up to a whole one, never written as a fraction", () => {
    expect(granted({ "content-type": "application/grpc", "grpc-timeout": "1u" })).toEqual({ connect: null, grpc: "1m" });
    expect(granted({ "content-type": "application/grpc", "grpc-timeout": "1500u" })).toEqual({ connect: null, grpc: "2m" });
    expect(granted({ "content-type": "application/grpc", "grpc-timeout": "0n" })).toEqual({ connect: null, grpc: "0m" });
  });

  test("a malformed value is left for the protocol handler to refuse", () => {
    expect(granted({ "content-type": "application/json", "connect-timeout-ms": "soon" })).toEqual({ connect: "soon", grpc: null });
    expect(granted({ "content-type": "application/grpc", "grpc-timeout": "1x" })).toEqual({ connect: null, grpc: "1x" });
  });

  test("a policy out of bounds is refused, naming the field", () => {
    expect(() => checkDeadlinePolicy({ maxMs: 0, defaultMs: 0 })).toThrow(/maxMs/);
    expect(() => checkDeadlinePolicy({ maxMs: 1000, defaultMs: 1.5 })).toThrow(/defaultMs/);
    expect(() => checkDeadlinePolicy({ maxMs: 1000, defaultMs: 2000 })).toThrow(/defaultMs \(2000\) must not exceed maxMs \(1000\)/);
    expect(checkDeadlinePolicy(policy)).toBe(policy);
  });
});
