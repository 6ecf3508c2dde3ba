/**
 * Entry point of a shard thread: a ShardHost answering ThreadRequests. Runs the index
 * and SQLite work of the shards assigned to it, off the thread that serves requests.
 */
import { ShardHost, type ShardHostOptions } from "./shard-host";
import { errorToThread, type ThreadReply, type ThreadRequest } from "./thread-messages";

declare const self: Worker;

let host: ShardHost | undefined;

const post = (reply: ThreadReply) => self.postMessage(reply);

self.onmessage = (event: MessageEvent<{ batch: ThreadRequest[] } | { init: ShardHostOptions }>) => {
  const message = event.data;
  if ("init" in message) {
    host = new ShardHost({ ...message.init, log: (log) => post({ log }) });
    return;
  }
  // Start every call of the batch before any settles: writes to one shard then share a
  // group commit, which flushes once this task is over.
  for (const request of message.batch) void run(request);
};

async function run(request: ThreadRequest): Promise<void> {
  try {
    if (!host) throw new Error("shard thread used before init");
    const value =
      request.op === "openExisting"
        ? host.registry.openExisting(request.args[0] as string[], (log) => post({ log }))
        : await (host[request.op] as (...args: unknown[]) => Promise<unknown>).apply(host, request.args);
    post({ id: request.id, value });
  } catch (err) {
    post({ id: request.id, error: errorToThread(err) });
  }
}
