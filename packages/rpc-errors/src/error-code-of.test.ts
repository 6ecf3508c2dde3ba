import { expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { errorCodeOf } from "./error-code-of";
import { VectronError } from "./vectron-error";

test("the code of a remote ConnectError and of an in-process VectronError read the same; other errors have none", () => {
  expect(errorCodeOf(new ConnectError("stale", Code.FailedPrecondition))).toBe(Code.FailedPrecondition);
  expect(errorCodeOf(new VectronError("failed_precondition", "stale"))).toBe(Code.FailedPrecondition);
  expect(errorCodeOf(new VectronError("unavailable", "no primary"))).toBe(Code.Unavailable);
  expect(errorCodeOf(new Error("boom"))).toBeUndefined();
  expect(errorCodeOf({ code: 14 })).toBeUndefined();
});
