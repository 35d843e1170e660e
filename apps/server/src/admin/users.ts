import type { CreateUserBody, SessionsRevoked, User, UserInfo, UserPatchBody } from '@luot/protocol';
import type { z } from 'zod';
import { hashPassword } from '../auth/passwords.js';
import type { SessionEndReason, TokenService } from '../auth/tokens.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/open.js';
import type { Repos } from '../db/repos.js';
import type { UserRow } from '../db/user.repo.js';
import { AppError } from '../errors.js';
import { actorIds, type Actor } from '../queue/actor.js';

export interface UserAdminDeps {
  db: Db;
  repos: Repos;
  clock: Clock;
  tokens: TokenService;
}

const infoOf = (u: UserRow): UserInfo => ({ id: u.id, username: u.username, role: u.role, disabled: u.disabled });

/**
 * The admin's user accounts: list, create, change (role, password, disabled) and sign out
 * everywhere. Each change is one transaction with its audit line; sessions it ends are revoked
 * after the commit (nothing may act on a change that could still roll back). The route's roles
 * (admin only) are checked by the route table before any of these runs.
 */
export function createUserAdmin({ db, repos, clock, tokens }: UserAdminDeps) {
  /** USERNAME_TAKEN for the same name in any case or normal form, USERNAME_CONFUSABLE for a look-alike. */
  function refuseClash(username: string) {
    const clash = repos.users.clash(username);
    if (clash?.kind === 'taken') throw new AppError('USERNAME_TAKEN');
    if (clash?.kind === 'confusable') throw new AppError('USERNAME_CONFUSABLE', `It looks like "${clash.existing}".`);
  }

  function list(): UserInfo[] {
    return repos.users.list().map(infoOf);
  }

  async function create(actor: Actor, body: z.infer<typeof CreateUserBody>): Promise<User> {
    refuseClash(body.username);
    const hash = await hashPassword(body.password);
    const now = clock.now();
    const id = db.transaction(() => {
      // Checked again after the await, in the transaction: another request may have taken the
      // name (or a look-alike of it) meanwhile.
      refuseClash(body.username);
      const userId = repos.users.create(body.username, hash, body.role, now);
      repos.audit.add(now, actorIds(actor).userId, 'user.create', `user:${userId}`, { username: body.username, role: body.role });
      return userId;
    })();
    const created = repos.users.get(id)!;
    return { id, username: created.username, role: created.role };
  }

  async function update(actor: Actor, id: number, body: z.infer<typeof UserPatchBody>): Promise<UserInfo> {
    if (!repos.users.get(id)) throw new AppError('NOT_FOUND', 'No such user.');
    const hash = body.password ? await hashPassword(body.password) : null;
    const now = clock.now();
    const user = db.transaction(() => {
      // Read again after the await, in the transaction: another admin may have changed this
      // user's role meanwhile, and the last-admin rule must judge the role as it is now.
      const user = repos.users.get(id);
      if (!user) throw new AppError('NOT_FOUND', 'No such user.');
      // Never lock the center out: the last active admin stays an active admin.
      const demoting = user.role === 'admin' && (body.role === 'officer' || body.disabled === true);
      const otherAdmins = repos.users.list().filter((u) => u.role === 'admin' && !u.disabled && u.id !== id).length;
      if (demoting && otherAdmins === 0) throw new AppError('INVALID_INPUT', 'The last admin cannot be demoted or disabled.');
      if (body.role) repos.users.setRole(id, body.role);
      if (hash) repos.users.setPassword(id, hash);
      if (body.disabled !== undefined) repos.users.setDisabled(id, body.disabled ? now : null);
      const { password: _secret, ...detail } = body;
      repos.audit.add(now, actorIds(actor).userId, 'user.update', `user:${id}`, { ...detail, passwordChanged: !!hash });
      return user;
    })();
    // The session epoch already stops the old tokens on every request; this also revokes their
    // rows and cuts the user's live sockets at once (after the commit: nothing may act on a
    // change that could still roll back).
    const reason: SessionEndReason | null =
      body.disabled === true ? 'disabled' : hash ? 'password-changed' : user.role === 'admin' && body.role === 'officer' ? 'demoted' : null;
    if (reason) tokens.revokeAllForUser(id, now, reason);
    return infoOf(repos.users.get(id)!);
  }

  /**
   * Signs a user out everywhere without touching the password (a tablet left signed in was lost
   * or stolen): every token revoked, every live connection of theirs cut.
   */
  function revokeSessions(actor: Actor, id: number): SessionsRevoked {
    if (!repos.users.get(id)) throw new AppError('NOT_FOUND', 'No such user.');
    const now = clock.now();
    const revoked = tokens.revokeAllForUser(id, now, 'revoked');
    repos.audit.add(now, actorIds(actor).userId, 'user.sessions-revoke', `user:${id}`, { tokens: revoked });
    return { id, revoked };
  }

  return { list, create, update, revokeSessions };
}
export type UserAdmin = ReturnType<typeof createUserAdmin>;
