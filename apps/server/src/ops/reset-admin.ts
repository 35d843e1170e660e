import { hashPassword } from '../auth/passwords.js';
import { createAuditRepo } from '../db/audit.repo.js';
import type { Db } from '../db/open.js';
import { createTokenRepo } from '../db/token.repo.js';
import { createUserRepo } from '../db/user.repo.js';

/** A reset the command refuses, in both languages (nothing was changed). */
export class ResetAdminError extends Error {
  constructor(
    readonly vi: string,
    en: string,
  ) {
    super(en);
    this.name = 'ResetAdminError';
  }
}

export interface ResetAdminResult {
  userId: number;
  username: string;
  /** The account did not exist and was created as an admin. */
  created: boolean;
  /** The admin was disabled and is enabled again (a disabled admin cannot sign in). */
  enabled: boolean;
  /** Sign-in tokens of this user that were still live and are now revoked. */
  tokensRevoked: number;
}

export const MIN_ADMIN_PASSWORD = 8;
const DEFAULT_ADMIN = 'admin';

/**
 * Gives an admin a new password, from the command line (cli/reset-admin.ts), for a center where
 * nobody can sign in (a forgotten password, or a production start without LUOT_ADMIN_PASSWORD).
 * Which account: `username` when given (created as an admin if it does not exist; refused if it
 * is an officer, which an admin can promote on the admin page); otherwise "admin" if it is an
 * admin, else the only admin, else a new "admin" when there is no admin at all. Several admins
 * and none named "admin": refused, naming them. In one transaction: the password (which moves the
 * session epoch, so every earlier token of the user stops at its next request, in this process or
 * a running server), the token rows revoked, and an audit row `user.password-reset` (no actor: the
 * command line).
 */
export async function resetAdmin(db: Db, opts: { username?: string; password: string; now: number }): Promise<ResetAdminResult> {
  if (opts.password.length < MIN_ADMIN_PASSWORD) {
    throw new ResetAdminError(`Mật khẩu quản trị phải có ít nhất ${MIN_ADMIN_PASSWORD} ký tự.`, `The admin password must have at least ${MIN_ADMIN_PASSWORD} characters.`);
  }
  const users = createUserRepo(db);
  const tokens = createTokenRepo(db);
  const audit = createAuditRepo(db);
  const hash = await hashPassword(opts.password);

  return db.transaction((): ResetAdminResult => {
    // Chosen inside the transaction: a running server's admin page may change users meanwhile.
    const admins = users.list().filter((u) => u.role === 'admin');
    let target = opts.username !== undefined ? users.byUsername(opts.username) : undefined;
    let name = opts.username?.trim().normalize('NFC');
    if (opts.username === undefined) {
      const named = users.byUsername(DEFAULT_ADMIN);
      if (named?.role === 'admin') target = named;
      else if (admins.length === 1) target = admins[0];
      else if (admins.length > 1) {
        const list = admins.map((a) => a.username).join(', ');
        throw new ResetAdminError(`Có nhiều tài khoản quản trị (${list}): chọn một bằng --user TÊN.`, `There are several admin accounts (${list}): choose one with --user NAME.`);
      } else if (named) {
        throw new ResetAdminError(
          `Tài khoản "${named.username}" là cán bộ, không phải quản trị: tạo quản trị mới bằng --user TÊN-KHÁC.`,
          `The account "${named.username}" is an officer, not an admin: create a new admin with --user ANOTHER-NAME.`,
        );
      }
      name = DEFAULT_ADMIN;
    }
    if (!name) throw new ResetAdminError('Tên tài khoản trống.', 'The user name is empty.');
    if (target && target.role !== 'admin') {
      throw new ResetAdminError(
        `Tài khoản "${target.username}" là cán bộ, không phải quản trị. Chọn tài khoản quản trị, hoặc tên mới để tạo quản trị.`,
        `The account "${target.username}" is an officer, not an admin. Choose an admin account, or a new name to create an admin.`,
      );
    }
    if (!target) {
      const clash = users.clash(name);
      if (clash) {
        throw new ResetAdminError(`Tên "${name}" trùng hoặc giống tên "${clash.existing}": chọn tên khác.`, `The name "${name}" is taken by or looks like "${clash.existing}": choose another.`);
      }
      const id = users.create(name, hash, 'admin', opts.now);
      audit.add(opts.now, null, 'user.password-reset', `user:${id}`, { username: name, created: true, via: 'scripts/reset-admin' });
      return { userId: id, username: name, created: true, enabled: false, tokensRevoked: 0 };
    }
    users.setPassword(target.id, hash);
    const enabled = target.disabled;
    if (enabled) users.setDisabled(target.id, null);
    const tokensRevoked = tokens.revokeForUser(target.id, opts.now);
    audit.add(opts.now, null, 'user.password-reset', `user:${target.id}`, { username: target.username, created: false, enabled, tokensRevoked, via: 'scripts/reset-admin' });
    return { userId: target.id, username: target.username, created: false, enabled, tokensRevoked };
  })();
}
