import { createSessionAdvisoryLock, PLACEMENT_LEADER_LOCK_KEY, type Db, type SessionAdvisoryLock } from "@vectron/db";
import { createControlLoop, type TickReport } from "./control-loop";
import { clearLeader, recordLeader } from "./leader-record";
import type { LeadershipView, PlacementLog, WorkerClientFactory } from "./placement-deps";

export interface PlacementLeadershipOptions {
  /** The placement database (the control loop's reads and writes, the leader record). */
  db: Db;
  /**
   * The Postgres URL: leadership is an advisory lock held on a dedicated connection to
   * it. Omit it for PGlite (embedded, one process): this process then always leads.
   */
  databaseUrl?: string;
  /** This placement process, as GetPlacementStatus reports it. */
  nodeId: string;
  workerClient: WorkerClientFactory;
  log: PlacementLog;
  now?: () => Date;
  /** Control loop period; default 1000 ms. */
  tickMs?: number;
  /** How long a replica on a dead worker is waited for before it is replaced; default 30 s. */
  replaceAfterMs?: number;
  /** How often a follower tries to take the lock, and the leader checks it still holds it; default 1000 ms. */
  lockCheckMs?: number;
  /** Rebalancing moves under way at once, cluster-wide; default 2. */
  maxMovesInFlight?: number;
  /**
   * After taking over, the control loop waits this long (give it the worker lease)
   * before its first tick: while no process led (a leader died, Postgres was down) no
   * lease could be renewed, so leases that look expired may belong to live workers that
   * are about to heartbeat. Default 0.
   */
  takeOverGraceMs?: number;
}

export interface PlacementLeadership extends LeadershipView {
  /** Runs one control loop tick now, leading or not (tests, tools). */
  runOnce(): Promise<TickReport>;
  /** Stops the loop, waits for a running tick, releases the lock and the leader record. */
  stop(): Promise<void>;
}

/**
 * Takes part in the election of the placement leader and, while leading, runs the
 * control loop every tickMs. Followers retry the lock every lockCheckMs; the leader
 * checks its lock session as often and stops leading the moment it cannot confirm it.
 */
export async function startPlacementLeadership(options: PlacementLeadershipOptions): Promise<PlacementLeadership> {
  const { db, nodeId, log } = options;
  const now = options.now ?? (() => new Date());
  const loop = createControlLoop({ ...options, now });
  const lock: SessionAdvisoryLock | undefined = options.databaseUrl
    ? createSessionAdvisoryLock({ url: options.databaseUrl, key: PLACEMENT_LEADER_LOCK_KEY, applicationName: `vectron-placement-leader ${nodeId}` })
    : undefined;
  let leading = false;
  let leadingSince = 0;
  let stopped = false;
  let lastLockError = "";

  const takeOver = async () => {
    await recordLeader(db, nodeId, now());
    leading = true;
    leadingSince = Date.now();
    log(`placement ${nodeId} leads`);
  };
  const maintainLock = async () => {
    if (!lock) return;
    if (leading) {
      if (await lock.stillHeld()) return;
      leading = false;
      log(`placement ${nodeId} lost the leadership (its lock session is gone)`);
      return;
    }
    try {
      if (!(await lock.tryAcquire())) return;
      lastLockError = "";
      await takeOver().catch(async (cause) => {
        await lock.release();
        throw cause;
      });
    } catch (cause) {
      const message = `placement ${nodeId} cannot take part in the leader election: ${String(cause)}`;
      if (message !== lastLockError) log(message, cause);
      lastLockError = message;
    }
  };
  const tick = async () => {
    if (!leading || Date.now() - leadingSince < (options.takeOverGraceMs ?? 0)) return;
    await loop.runOnce().catch((cause) => log("placement control loop tick failed", cause));
  };

  if (!lock) await takeOver();
  const lockChain = repeat(maintainLock, options.lockCheckMs ?? 1000, () => stopped);
  const tickChain = repeat(tick, options.tickMs ?? 1000, () => stopped);
  return {
    nodeId,
    isLeading: () => leading,
    runOnce: () => loop.runOnce(),
    async stop() {
      stopped = true;
      await Promise.all([lockChain.stop(), tickChain.stop()]);
      const wasLeading = leading;
      leading = false;
      if (wasLeading) await clearLeader(db, nodeId).catch((cause) => log("could not clear the leader record", cause));
      await lock?.release();
    },
  };
}

/**
 * Runs `step` now and then `periodMs` after each run ends (never two at once) until
 * `done()`. `stop` cancels the next run and waits for the current one.
 */
function repeat(step: () => Promise<void>, periodMs: number, done: () => boolean): { stop(): Promise<void> } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = step().finally(() => {
      if (!done()) timer = setTimeout(run, periodMs);
    });
  };
  run();
  return {
    async stop() {
      clearTimeout(timer);
      await running;
      clearTimeout(timer);
    },
  };
}
