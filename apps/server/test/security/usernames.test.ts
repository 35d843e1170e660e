import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/passwords.js';
import { hashToken } from '../../src/auth/tokens.js';
import { loadMigrations, migrate } from '../../src/db/migrate.js';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/test-server.js';

/** One user per name however it is typed; look-alike names refused; sign-in by any form. */
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const createUser = (username: string, password = 'mat-khau-1') => s.api('POST', '/users', { token: s.adminToken, body: { username, password, role: 'officer' } });
const signIn = (username: string, password: string) => s.api('POST', '/auth/login', { body: { username, password } });

describe('usernames are compared as people read them', () => {
  it('"Đức" and "đức" are one user: the second is taken, and either spelling signs in', async () => {
    const r = await createUser('Đức', 'duc-mat-khau');
    expect(r.status).toBe(201);
    expect(r.body.username).toBe('Đức');
    for (const other of ['đức', 'ĐỨC', 'đỨc']) {
      const dup = await createUser(other);
      expect(dup.status).toBe(409);
      expect(dup.body.error.code).toBe('USERNAME_TAKEN');
    }
    for (const typed of ['Đức', 'đức', 'ĐỨC']) {
      const signed = await signIn(typed, 'duc-mat-khau');
      expect(signed.status).toBe(200);
      expect(signed.body.user).toMatchObject({ id: r.body.id, username: 'Đức' });
    }
  });

  it('signs in by any case of an ASCII name, and a full-width spelling', async () => {
    expect((await signIn('CANBO1', 'demo')).body.user.username).toBe('canbo1');
    expect((await signIn('ｃａｎｂｏ１', 'demo')).body.user.username).toBe('canbo1');
  });

  it('refuses "аdmin" with a Cyrillic а beside "admin", with a message in both languages', async () => {
    const r = await createUser('\u0430dmin');
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('USERNAME_CONFUSABLE');
    expect(r.body.error.messageVi).toBeTruthy();
    expect(r.body.error.message).toContain('"admin"');
    // Capitals made of Cyrillic letters, too.
    expect((await createUser('\u0421\u0410NB\u041e1')).body.error.code).toBe('USERNAME_CONFUSABLE');
    // A Greek alpha.
    expect((await createUser('\u03b1dmin')).body.error.code).toBe('USERNAME_CONFUSABLE');
  });

  it('takes names that only share letters, not looks', async () => {
    expect((await createUser('canbol')).status).toBe(201);
    expect((await createUser('lân')).status).toBe(201);
    expect((await createUser('lan')).status).toBe(201);
    expect((await createUser('\u0431\u043e\u0440\u0438\u0441')).status).toBe(201); // борис
  });

  it('a wrong password for any spelling of a name counts against the same account', async () => {
    for (const typed of ['lan', 'LAN', 'Lan', 'lAn', 'laN']) expect((await signIn(typed, 'sai')).status).toBe(401);
    expect((await signIn('lan', 'mat-khau-1')).status).toBe(429);
  });
});

describe('upgrading a database from before migration 0005', () => {
  it('fills the name forms of existing users; a legacy pair that differs beyond ASCII case keeps each spelling', async () => {
    const dataDir = tempDataDir();
    const file = join(dataDir, 'luot.sqlite');
    const old = new Database(file);
    migrate(
      old,
      loadMigrations().filter((m) => m.version < 5),
    );
    const hash = await hashPassword('cu-mat-khau');
    const ins = old.prepare(`INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, 0)`);
    ins.run('admin', await hashPassword('admin-pass'), 'admin');
    ins.run('Đức', hash, 'officer');
    ins.run('đức', await hashPassword('khac-mat-khau'), 'officer');
    ins.run('Hùng', hash, 'officer');
    // A session from before the upgrade (tokens are stored hashed).
    old.prepare('INSERT INTO tokens (hash, user_id, created_at, expires_at) VALUES (?, 2, 0, ?)').run(hashToken('phien-cu'), Date.now() + 3600_000);
    old.close();

    const up = await startTestServer({ dataDir });
    try {
      const rows = up.db.prepare('SELECT username, username_key, username_skeleton FROM users ORDER BY id').all() as { username: string; username_key: string }[];
      expect(rows.every((r) => r.username_key !== null)).toBe(true);
      const legacyLower = up.server.ctx.repos.users.byUsername('đức')!;
      expect(rows.find((r) => r.username === 'đức')!.username_key).toBe(`đức#${legacyLower.id}`);
      const login = (u: string, p: string) => up.api('POST', '/auth/login', { body: { username: u, password: p } });
      expect((await login('Đức', 'cu-mat-khau')).body.user.username).toBe('Đức');
      expect((await login('đức', 'khac-mat-khau')).body.user.username).toBe('đức');
      expect((await login('HÙNG', 'cu-mat-khau')).body.user.username).toBe('Hùng');
      // A session from before the upgrade keeps working (epoch 0), until the password changes.
      expect((await up.api('GET', '/counters', { token: 'phien-cu' })).status).toBe(200);
      await up.api('PATCH', '/admin/users/2', { token: up.adminToken, body: { password: 'moi-mat-khau' } });
      expect((await up.api('GET', '/counters', { token: 'phien-cu' })).status).toBe(401);
    } finally {
      await up.close();
    }
  });
});
