import { VectronError, type ErrorCode } from "@vectron/rpc-errors";
import type { ShardOps } from "./shard-ops";

/** An operation of ShardOps, or the thread's own start-up step. */
export type ThreadOp = keyof ShardOps | "openExisting";

/** Main thread → shard thread (sent in batches: `{ batch: ThreadRequest[] }`). */
export interface ThreadRequest {
  id: number;
  op: ThreadOp;
  args: unknown[];
}

/** An error as it crosses the thread boundary. */
export interface ThreadError {
  vectronCode?: ErrorCode;
  name: string;
  message: string;
}

/** Shard thread → main thread: a result, an error, or a log line. */
export type ThreadReply = { id: number; value: unknown } | { id: number; error: ThreadError } | { log: string };

export function errorToThread(err: unknown): ThreadError {
  if (err instanceof VectronError) return { vectronCode: err.code, name: err.name, message: err.message };
  const error = err instanceof Error ? err : new Error(String(err));
  return { name: error.name, message: error.stack ?? error.message };
}

/** The error a thread reported, as the main thread rethrows it: client errors keep their code. */
export function errorFromThread(error: ThreadError): Error {
  if (error.vectronCode) return new VectronError(error.vectronCode, error.message);
  return new Error(`shard thread: ${error.message}`);
}
