import { expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { createErrorInterceptor, toConnectError } from "./to-connect-error";
import { VectronError } from "./vectron-error";

test("a VectronError keeps its code, message and metadata; anything else is a generic internal error", () => {
  const limited = toConnectError(new VectronError("resource_exhausted", "slow down", { metadata: { "retry-after-ms": "120" } }));
  expect(limited.code).toBe(Code.ResourceExhausted);
  expect(limited.rawMessage).toBe("slow down");
  expect(limited.metadata.get("retry-after-ms")).toBe("120");
  expect(toConnectError(new VectronError("not_found", "gone")).metadata.get("retry-after-ms")).toBeNull();

  const logged: unknown[] = [];
  const internal = toConnectError(new Error("password=hunter2"), (_message, cause) => logged.push(cause));
  expect(internal.code).toBe(Code.Internal);
  expect(internal.rawMessage).toBe("internal error");
  expect(logged).toHaveLength(1);
  const remote = new ConnectError("stale", Code.FailedPrecondition);
  expect(toConnectError(remote)).toBe(remote);
});

test("the error interceptor translates what a streaming response throws while it is read", async () => {
  const interceptor = createErrorInterceptor(() => {});
  async function* failing() {
    yield 1;
    throw new VectronError("not_found", "collection docs does not exist");
  }
  const handler = interceptor(async () => ({ stream: true, message: failing() }) as never);
  const res = (await handler({} as never)) as unknown as { message: AsyncIterable<number> };
  const seen: number[] = [];
  const error = await (async () => {
    for await (const n of res.message) seen.push(n);
  })().catch((e) => e);
  expect(seen).toEqual([1]);
  expect(error).toBeInstanceOf(ConnectError);
  expect(error).toMatchObject({ code: Code.NotFound, rawMessage: "collection docs does not exist" });
});

test("a streaming request connect-es cannot parse is invalid_argument, not internal", async () => {
  const interceptor = createErrorInterceptor(() => {});
  async function* unparsable(): AsyncGenerator<never> {
    throw new ConnectError("parse binary: premature EOF", Code.Internal);
  }
  const handler = interceptor(async (req) => {
    for await (const _ of (req as unknown as { message: AsyncIterable<unknown> }).message);
    return { stream: true, message: (async function* () {})() } as never;
  });
  const error = await handler({ stream: true, message: unparsable() } as never).catch((e) => e);
  expect(error).toMatchObject({ code: Code.InvalidArgument, rawMessage: "cannot decode request: parse binary: premature EOF" });
});
