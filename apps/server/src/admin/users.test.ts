import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/passwords.js';
import { createTokenService } from '../auth/tokens.js';
import { manualClock } from '../clock.js';
import { openDatabase, type Db } from '../db/open.js';
import { createRepos, type Repos } from '../db/repos.js';
import { AppError } from '../errors.js';
import type { Actor } from '../queue/actor.js';
import { createUserAdmin } from './users.js';

let dir: string;
let db: Db;
let repos: Repos;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'luot-users-'));
  db = openDatabase(join(dir, 'luot.sqlite'));
  repos = createRepos(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const activeAdmins = () => repos.users.list().filter((u) => u.role === 'admin' && !u.disabled).length;

describe('user admin: the last active admin stays an active admin', () => {
  it('judges the role as it is after the password hash, not as it was before (two admins at once)', async () => {
    const clock = manualClock(Date.parse('2026-11-30T09:00:00+07:00'));
    const users = createUserAdmin({ db, repos, clock, tokens: createTokenService(repos) });
    const hash = await hashPassword('demo-password');
    const root = repos.users.create('root', hash, 'admin', clock.now());
    const lan = repos.users.create('lan', hash, 'officer', clock.now());
    const actor: Actor = { kind: 'user', userId: root, username: 'root', role: 'admin' };

    // Admin 1 disables Lan with a new password: the password is hashed (an await) first. While it
    // hashes, admin 2 makes Lan an admin and root an officer, which leaves Lan the only admin.
    const disabling = users.update(actor, lan, { password: 'a-new-password', disabled: true });
    await users.update(actor, lan, { role: 'admin' });
    await users.update(actor, root, { role: 'officer' });
    expect(activeAdmins()).toBe(1);

    const refused = await disabling.then(
      () => null,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('INVALID_INPUT');
    expect(activeAdmins()).toBe(1);
    expect(repos.users.get(lan)).toMatchObject({ role: 'admin', disabled: false });
  });
});
