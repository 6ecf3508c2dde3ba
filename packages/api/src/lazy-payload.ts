import type { JsonObject } from "@bufbuild/protobuf";
import { decodePayload } from "./point-message";

/**
 * Gives a message's `payload` field the stored payload, parsed only when something
 * reads it (the binary and gRPC encoders do; the Connect JSON path splices the stored
 * text instead and never does). Writing the field replaces it as usual.
 */
export function setLazyPayload<T extends { payload?: JsonObject }>(message: T, bytes: Uint8Array): T {
  let parsed: JsonObject | undefined;
  let decoded = false;
  Object.defineProperty(message, "payload", {
    enumerable: true,
    configurable: true,
    get: () => {
      if (!decoded) {
        parsed = decodePayload(bytes);
        decoded = true;
      }
      return parsed;
    },
    set: (value: JsonObject | undefined) => {
      parsed = value;
      decoded = true;
    },
  });
  return message;
}
