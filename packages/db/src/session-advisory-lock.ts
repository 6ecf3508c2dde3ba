import postgres from "postgres";

/** How long a lock query may take before the connection counts as dead. */
const LOCK_QUERY_TIMEOUT_MS = 2000;

/**
 * A Postgres session-level advisory lock held on a connection of its own (placement
 * leadership). The server releases a session lock when the session ends, so a holder
 * that dies (kill -9, lost network) frees it for another process without anyone's help.
 */
export interface SessionAdvisoryLock {
  /** Takes the lock if no other session holds it. Throws when Postgres cannot be reached. */
  tryAcquire(): Promise<boolean>;
  /**
   * Whether this session still holds the lock; false also when the server cannot be
   * asked in time (the connection is then closed, and the next tryAcquire opens a new
   * one). It asks about its own session, not merely whether some query succeeds:
   * postgres-js reconnects transparently, and a new session holds nothing.
   */
  stillHeld(): Promise<boolean>;
  /** Releases the lock (if held) and closes the connection. */
  release(): Promise<void>;
}

export interface SessionAdvisoryLockOptions {
  url: string;
  /** The bigint lock key (e.g. PLACEMENT_LEADER_LOCK_KEY), below 2^31. */
  key: number;
  /** Shown as application_name in pg_stat_activity, to find (or terminate) the session. */
  applicationName: string;
}

/** A SessionAdvisoryLock on a dedicated postgres-js connection (max 1, never recycled). */
export function createSessionAdvisoryLock(options: SessionAdvisoryLockOptions): SessionAdvisoryLock {
  const { url, key } = options;
  if (!Number.isInteger(key) || key < 0 || key >= 2 ** 31) throw new RangeError("createSessionAdvisoryLock: key must be an integer in [0, 2^31)");
  let sql: postgres.Sql | undefined;
  const connection = () =>
    (sql ??= postgres(url, {
      max: 1,
      // The session is the lock: never recycle it (0 turns both timers off; the default
      // lifetime would end the session, and the leadership, after 30-60 minutes).
      max_lifetime: 0,
      idle_timeout: 0,
      connect_timeout: 5,
      onnotice: () => {},
      connection: { application_name: options.applicationName.slice(0, 63) },
    }));
  const close = async () => {
    const closing = sql;
    sql = undefined;
    await closing?.end({ timeout: 0 }).catch(() => {});
  };
  return {
    async tryAcquire() {
      try {
        const [row] = await withTimeout(connection()`select pg_try_advisory_lock(${key}::bigint) as locked`);
        return row?.locked === true;
      } catch (err) {
        await close();
        throw err;
      }
    },
    async stillHeld() {
      try {
        // A one-argument bigint key below 2^31 shows as classid 0, objid key, objsubid 1.
        const [row] = await withTimeout(connection()`
          select count(*)::int as held from pg_locks
          where locktype = 'advisory' and pid = pg_backend_pid() and granted
            and classid = 0 and objid::bigint = ${key}::bigint and objsubid = 1`);
        if (row?.held === 1) return true;
      } catch {
        // Unreachable or too slow: the server may be about to give the lock away.
      }
      await close();
      return false;
    },
    async release() {
      if (sql) await withTimeout(sql`select pg_advisory_unlock(${key}::bigint)`).catch(() => {});
      await close();
    },
  };
}

function withTimeout<T>(query: PromiseLike<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`advisory lock query took over ${LOCK_QUERY_TIMEOUT_MS} ms`)), LOCK_QUERY_TIMEOUT_MS);
  });
  return Promise.race([Promise.resolve(query), timeout]).finally(() => clearTimeout(timer));
}
