import type { Transport } from "@connectrpc/connect";
import { isUnreachable } from "./unreachable";

/**
 * A Transport over several equivalent nodes (e.g. the placement processes of a cluster):
 * each unary call goes to the node that answered last, and moves on to the next when a
 * node cannot be reached. An answer, even an error, is final.
 */
export function createFailoverTransport(transports: Transport[]): Transport {
  if (transports.length === 0) throw new TypeError("createFailoverTransport: give at least one transport");
  let current = 0;
  return {
    async unary(method, signal, timeoutMs, header, input, contextValues) {
      let lastError: unknown;
      for (let tried = 0; tried < transports.length; tried++) {
        const index = (current + tried) % transports.length;
        try {
          const response = await transports[index]!.unary(method, signal, timeoutMs, header, input, contextValues);
          current = index;
          return response;
        } catch (err) {
          if (!isUnreachable(err)) throw err;
          lastError = err;
        }
      }
      throw lastError;
    },
    stream(method, signal, timeoutMs, header, input, contextValues) {
      return transports[current]!.stream(method, signal, timeoutMs, header, input, contextValues);
    },
  };
}
