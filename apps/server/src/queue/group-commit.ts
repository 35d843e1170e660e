import type { Db } from '../db/open.js';

/**
 * Group commit (docs/adr/0011-group-commit-or-not.md): the actions that arrive in one turn of
 * the event loop run in ONE SQLite transaction, committed (one fsync of the WAL) once, and each
 * is answered only after that commit. An answer never goes out before the fsync that covers it;
 * the fsync is shared instead of paid per action.
 *
 * Each action still runs in its own savepoint (the queue's `act` nests as one): an action that
 * fails (a closed service, a daily limit) rolls back alone and is refused alone; the others
 * commit. If the commit itself fails (a full disk, an I/O error), nothing of the group is stored
 * and every action of it is refused with that error. While a group runs, the queue holds its
 * events and publishes them, in seq order, only after the commit (`hold`/`release`), so no
 * screen ever sees an event that was not made durable.
 *
 * better-sqlite3 is synchronous: the whole group runs inside one callback, nothing else can run
 * between its actions, and no transaction spans an await.
 */
export interface GroupCommitHooks {
  /** A group starts: events of its actions are held. */
  hold(): void;
  /** The group is over: publish what was held if it committed, drop it if not. */
  release(committed: boolean): void;
}

export interface GroupCommitOptions {
  /** Actions in one transaction at most; more wait for the next (default 64). */
  maxActions?: number;
  /** When a group runs (default setImmediate: after every request that arrived in this turn). */
  schedule?: (fn: () => void) => void;
}

interface Job {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export interface GroupCommit {
  /** Runs `action` in the next group; resolves with its result once the group has committed. */
  run<T>(action: () => T): Promise<T>;
  /** Runs what is waiting now (shutdown, tests). */
  flush(): void;
  /** How many groups committed and how many actions they held (for the bench and the logs). */
  stats(): { groups: number; actions: number };
}

export function createGroupCommit(db: Db, hooks: GroupCommitHooks, opts: GroupCommitOptions = {}): GroupCommit {
  const maxActions = opts.maxActions ?? 64;
  const schedule = opts.schedule ?? ((fn) => void setImmediate(fn));
  let waiting: Job[] = [];
  let groups = 0;
  let actions = 0;

  /** One action alone: its own transaction and commit, as without grouping. */
  function runAlone(job: Job) {
    let value: unknown;
    try {
      value = job.run();
    } catch (err) {
      return job.reject(err);
    }
    groups++;
    actions++;
    job.resolve(value);
  }

  function runGroup(jobs: Job[]) {
    const results: ({ ok: true; value: unknown } | { ok: false; err: unknown })[] = [];
    let failed: { err: unknown } | null = null;
    hooks.hold();
    try {
      db.transaction(() => {
        for (const job of jobs) {
          try {
            results.push({ ok: true, value: job.run() });
          } catch (err) {
            // The action's savepoint is rolled back; the group goes on. Unless SQLite rolled the
            // whole transaction back itself (a full disk, an I/O error): then the group is over.
            if (!db.inTransaction) throw err;
            results.push({ ok: false, err });
          }
        }
      }).immediate();
    } catch (err) {
      failed = { err };
    } finally {
      hooks.release(failed === null);
    }
    if (failed) {
      for (const job of jobs) job.reject(failed.err);
      return;
    }
    groups++;
    actions += results.filter((r) => r.ok).length;
    results.forEach((r, i) => (r.ok ? jobs[i]!.resolve(r.value) : jobs[i]!.reject(r.err)));
  }

  function flush() {
    while (waiting.length > 0) {
      const jobs = waiting.slice(0, maxActions);
      waiting = waiting.slice(jobs.length);
      if (jobs.length === 1) runAlone(jobs[0]!);
      else runGroup(jobs);
    }
  }

  return {
    run<T>(action: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        waiting.push({ run: action, resolve: resolve as (v: unknown) => void, reject });
        if (waiting.length === 1) schedule(flush);
      });
    },
    flush,
    stats: () => ({ groups, actions }),
  };
}
