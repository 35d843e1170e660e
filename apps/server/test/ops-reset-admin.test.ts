import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, tempDataDir } from './helpers/test-server.js';

/**
 * scripts/reset-admin, the way out when nobody can sign in (a production start without
 * LUOT_ADMIN_PASSWORD, a forgotten password): the real shell script and the built CLI against the
 * built server as a real process and its SQLite file (needs `pnpm exec tsc -b`), with the service
 * running and stopped; sign-in checked over real HTTP.
 */
const script = fileURLToPath(new URL('../../../scripts/reset-admin', import.meta.url));
const serverMain = fileURLToPath(new URL('../dist/src/main.js', import.meta.url));
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGKILL');
      await new Promise((r) => c.once('exit', r));
    }
  }
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

const PROD = { LUOT_DEMO: '0', LUOT_ADMIN_PASSWORD: '', LUOT_DISCOVERY_PORT: 'off', LUOT_LOG_FILE: 'off', LOG_LEVEL: 'error', LUOT_BACKUP_DIR: '' };

/** The built server, production settings, until it answers /health. */
async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string; stdout: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [serverMain], { env: { ...process.env, ...PROD, HOST: '127.0.0.1', PORT: String(port), LUOT_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.resume();
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 400; i++) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}`);
    // Up once the banner is out (printed after listen and the start checks).
    if (out.includes('is running')) return { child, url, stdout: () => out };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server did not start');
}

async function stop(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Runs scripts/reset-admin; `input` is written to its stdin. */
function resetAdmin(args: string[], env: Record<string, string>, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(script, args, { env: { ...process.env, LUOT_NEW_ADMIN_PASSWORD: '', ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(input ?? '');
  });
}

async function login(url: string, username: string, password: string) {
  const r = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  return { status: r.status, body: (await r.json()) as any };
}
async function getAs(url: string, path: string, token: string) {
  const r = await fetch(`${url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: r.status, body: (await r.json()) as any };
}

describe('scripts/reset-admin', () => {
  it('creates "admin" on a center that has none, with the server running; later resets its password, ending its sessions; audited', async () => {
    const dir = tempDataDir();
    dirs.push(dir);
    const s = await startServer(dir);
    expect(s.stdout()).toContain('No admin account yet');
    expect((await login(s.url, 'admin', 'first-password')).status).toBe(401);

    const created = await resetAdmin(['--password-stdin'], { LUOT_DATA_DIR: dir }, 'first-password\n');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('Đã tạo tài khoản quản trị "admin" / admin account "admin" created.');
    expect(created.stdout).toContain('The server is running: sign in at /admin now.');
    // The running server sees the new account at once.
    const first = await login(s.url, 'admin', 'first-password');
    expect(first.status).toBe(200);
    const token = first.body.token as string;
    expect((await getAs(s.url, '/admin/users', token)).status).toBe(200);

    // Forgotten again: a new password from the environment, the server still running.
    const reset = await resetAdmin([], { LUOT_DATA_DIR: dir, LUOT_NEW_ADMIN_PASSWORD: 'second-password' });
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toContain('new password set for "admin"; 1 phiên đăng nhập đã bị hủy / sessions revoked.');
    expect((await getAs(s.url, '/admin/users', token)).status).toBe(401);
    expect((await login(s.url, 'admin', 'first-password')).status).toBe(401);
    const second = await login(s.url, 'admin', 'second-password');
    expect(second.status).toBe(200);
    const audit = await getAs(s.url, '/admin/audit?limit=50', second.body.token);
    const resets = (audit.body as { action: string; summary: { vi: string; en: string } }[]).filter((a) => a.action === 'user.password-reset');
    expect(resets).toHaveLength(2);
    // Read as sentences, newest first: the reset, then the account's creation.
    expect(resets.map((a) => a.summary.vi)).toEqual([
      'Đặt lại mật khẩu quản trị của admin từ dòng lệnh (scripts/reset-admin)',
      'Tạo tài khoản quản trị admin từ dòng lệnh (scripts/reset-admin)',
    ]);
    await stop(s.child);

    // With the service stopped: the command holds the data directory's lock meanwhile, and the
    // next start has an admin (no warning).
    const stopped = await resetAdmin(['--user', 'admin'], { LUOT_DATA_DIR: dir, LUOT_NEW_ADMIN_PASSWORD: 'third-password' });
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toContain('Start the Luot service and sign in at /admin.');
    const again = await startServer(dir);
    expect(again.stdout()).not.toContain('No admin account yet');
    expect((await login(again.url, 'admin', 'second-password')).status).toBe(401);
    expect((await login(again.url, 'admin', 'third-password')).status).toBe(200);
    await stop(again.child);
  }, 90_000);

  it('refuses, in Vietnamese and English, changing nothing: a short password, an officer, no database, no password at all', async () => {
    const dir = tempDataDir();
    dirs.push(dir);
    // The demo once: canbo1 is an officer, "admin" an admin.
    const port = await freePort();
    const demo = spawn(process.execPath, [serverMain], {
      env: { ...process.env, ...PROD, LUOT_DEMO: '1', LUOT_ADMIN_PASSWORD: 'admin-pass', HOST: '127.0.0.1', PORT: String(port), LUOT_DATA_DIR: dir },
      stdio: 'ignore',
    });
    children.push(demo);
    for (let i = 0; i < 400; i++) {
      if (await fetch(`http://127.0.0.1:${port}/api/v1/health`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await stop(demo);

    const short = await resetAdmin([], { LUOT_DATA_DIR: dir, LUOT_NEW_ADMIN_PASSWORD: 'short' });
    expect(short.code).toBe(2);
    expect(short.stderr).toBe('Mật khẩu quản trị phải có ít nhất 8 ký tự.\nThe admin password must have at least 8 characters.\n');

    const officer = await resetAdmin(['--user', 'canbo1'], { LUOT_DATA_DIR: dir, LUOT_NEW_ADMIN_PASSWORD: 'long-enough-1' });
    expect(officer.code).toBe(2);
    expect(officer.stderr).toContain('Tài khoản "canbo1" là cán bộ, không phải quản trị.');
    expect(officer.stderr).toContain('The account "canbo1" is an officer, not an admin.');

    const none = await resetAdmin([], { LUOT_DATA_DIR: join(dir, 'nowhere'), LUOT_NEW_ADMIN_PASSWORD: 'long-enough-1' });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`Không có cơ sở dữ liệu tại ${join(dir, 'nowhere', 'luot.sqlite')}`);
    expect(none.stderr).toContain('(check LUOT_DATA_DIR; start the server once first)');

    // Not a terminal, no --password-stdin, no LUOT_NEW_ADMIN_PASSWORD: nothing to read.
    const noPassword = await resetAdmin([], { LUOT_DATA_DIR: dir });
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toContain('No password: run it in a terminal (it asks), or set LUOT_NEW_ADMIN_PASSWORD, or use --password-stdin.');

    // Nothing changed: the admin keeps the password, canbo1 stays an officer with "demo".
    const check = await startServer(dir);
    expect((await login(check.url, 'admin', 'admin-pass')).status).toBe(200);
    const officerLogin = await login(check.url, 'canbo1', 'demo');
    expect(officerLogin.status).toBe(200);
    expect(officerLogin.body.user.role).toBe('officer');
    await stop(check.child);
  }, 90_000);

  it('--help prints the usage and exits 0', async () => {
    const r = await resetAdmin(['--help'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: scripts/reset-admin [--user NAME] [--password-stdin] [--data-dir DIR]');
  });
});
