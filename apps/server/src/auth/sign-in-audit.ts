import { usernameKey } from '@luot/domain';
import type { AuditRepo } from '../db/audit.repo.js';
import { addressKey, type ThrottleReason } from './login-throttle.js';

/** Why a checked sign-in failed (the client always gets the same INVALID_CREDENTIALS). */
export type FailureReason = 'wrong-password' | 'unknown-user' | 'disabled';

/**
 * Sign-in events in the audit log, each with the address it came from and never a password:
 * `auth.sign-in`, `auth.sign-out`, `auth.sign-in.failed` (one row per checked attempt: the limits
 * keep these few) and `auth.sign-in.throttled`.
 *
 * Throttled attempts are not checked and cost nothing to send, so one row each would let a flood
 * turn into a flood of disk writes (every commit is fsynced) and slow the queue. They are written
 * coalesced instead, and still every one is counted: the first of a run is written at once (the
 * admin sees the attack start), the rest of the run are counted and written as one row with
 * `count`, `from` and `to` when `coalesceMs` has passed (on the next event, on the timer, or on
 * close). A run is keyed by address and limit, and by account too unless the address itself is
 * over its limit (one row per spraying address, not per name it tries).
 */
export function createSignInAudit(audit: AuditRepo, coalesceMs = 60_000) {
  interface Run {
    from: number;
    to: number;
    count: number;
    usernames: string[];
    address: string;
    reason: ThrottleReason;
  }
  const runs = new Map<string, Run>();
  // Runs live at most coalesceMs; this caps them against a flood of distinct names and addresses.
  const MAX_RUNS = 10_000;

  const writeRun = (r: Run) => {
    if (r.count > 0) {
      audit.add(r.to, null, 'auth.sign-in.throttled', null, { usernames: r.usernames, address: r.address, reason: r.reason, count: r.count, from: r.from, to: r.to });
    }
  };

  /** Writes the runs that are over (all of them with `all`). */
  function flush(now: number, all = false) {
    for (const [key, r] of runs) {
      if (all || now - r.from >= coalesceMs) {
        runs.delete(key);
        writeRun(r);
      }
    }
  }

  return {
    signedIn(now: number, userId: number, ip: string) {
      flush(now);
      audit.add(now, userId, 'auth.sign-in', `user:${userId}`, { address: ip });
    },
    signedOut(now: number, userId: number, ip: string) {
      flush(now);
      audit.add(now, userId, 'auth.sign-out', `user:${userId}`, { address: ip });
    },
    failed(now: number, username: string, ip: string, reason: FailureReason, userId: number | null) {
      flush(now);
      audit.add(now, null, 'auth.sign-in.failed', userId === null ? null : `user:${userId}`, { username, address: ip, reason });
    },
    throttled(now: number, username: string, ip: string, reason: ThrottleReason, retryAfterMs: number) {
      flush(now);
      const key = reason === 'address' ? `${addressKey(ip)}\n${reason}` : `${addressKey(ip)}\n${reason}\n${usernameKey(username)}`;
      const run = runs.get(key);
      if (!run) {
        if (runs.size >= MAX_RUNS) flush(now, true);
        audit.add(now, null, 'auth.sign-in.throttled', null, { usernames: [username], address: ip, reason, count: 1, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) });
        runs.set(key, { from: now, to: now, count: 0, usernames: [], address: ip, reason });
        return;
      }
      run.count++;
      run.to = now;
      if (run.usernames.length < 10 && !run.usernames.includes(username)) run.usernames.push(username);
    },
    flush,
  };
}
export type SignInAudit = ReturnType<typeof createSignInAudit>;
