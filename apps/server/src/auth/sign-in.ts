import type { LoginResult } from '@luot/protocol';
import type { Clock } from '../clock.js';
import type { Repos } from '../db/repos.js';
import { AppError } from '../errors.js';
import type { Actor } from '../queue/actor.js';
import type { LoginThrottle } from './login-throttle.js';
import { DUMMY_HASH_PROMISE, verifyPassword } from './passwords.js';
import { createSignInAudit, type FailureReason } from './sign-in-audit.js';
import type { TokenService } from './tokens.js';

/** Too many attempts: 429, and the HTTP edge says when to try again (Retry-After). */
export class SignInThrottled extends AppError {
  constructor(readonly retryAfterMs: number) {
    super('TOO_MANY_REQUESTS');
  }
}

export interface SignInDeps {
  repos: Repos;
  clock: Clock;
  tokens: TokenService;
  /** Read on each attempt, not once: the server's context may swap it (the security tests do). */
  throttle: LoginThrottle;
}

/**
 * Signing a person in and out: the throttle (auth/login-throttle.ts), the password check, the
 * session token and the audit of every attempt (auth/sign-in-audit.ts). Throttled attempts are
 * audited coalesced: the runs that are over are written once a minute even if nothing else
 * happens, and all of them by `close` (while the database is still open).
 */
export function createSignIn(deps: SignInDeps) {
  const { repos, clock, tokens } = deps;
  const signIns = createSignInAudit(repos.audit);
  const flushTimer = setInterval(() => signIns.flush(clock.now()), 60_000);
  flushTimer.unref();

  /** `ip`: the address the attempt came from, for the throttle and the audit. */
  async function signIn(username: string, password: string, ip: string): Promise<LoginResult> {
    const now = clock.now();
    // Counted before the password is checked: see auth/login-throttle.ts.
    const admission = deps.throttle.begin(username, ip, now);
    if (!admission.ok) {
      signIns.throttled(now, username, ip, admission.reason, admission.retryAfterMs);
      throw new SignInThrottled(admission.retryAfterMs);
    }
    const { attempt } = admission;
    let failure: FailureReason | null = 'wrong-password';
    const user = repos.users.byUsername(username);
    try {
      const ok = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
      // Read again after the await: a password change or a disable during the check wins.
      const fresh = user && repos.users.get(user.id);
      failure = !user || !fresh ? 'unknown-user' : !ok || fresh.passwordHash !== user.passwordHash ? 'wrong-password' : fresh.disabled ? 'disabled' : null;
    } finally {
      if (failure !== null) attempt.failed();
    }
    const done = clock.now();
    if (failure !== null || !user) {
      signIns.failed(done, username, ip, failure ?? 'unknown-user', user?.id ?? null);
      throw new AppError('INVALID_CREDENTIALS');
    }
    attempt.succeeded(done);
    const token = tokens.issue({ userId: user.id }, done);
    signIns.signedIn(done, user.id, ip);
    return { token, user: { id: user.id, username: user.username, role: user.role } };
  }

  /** Ends the presenting token's session: a person's only (devices are revoked by an admin). */
  function signOut(actor: Actor, token: string | null, ip: string): void {
    if (!token || actor.kind !== 'user') throw new AppError('UNAUTHORIZED');
    const now = clock.now();
    tokens.revoke(token, now);
    signIns.signedOut(now, actor.userId, ip);
  }

  function close() {
    clearInterval(flushTimer);
    signIns.flush(clock.now(), true);
  }

  return { signIn, signOut, close };
}
export type SignIn = ReturnType<typeof createSignIn>;
