import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/auth/passwords.js';
import { runServerUntilExit } from './faults/fault-helpers.js';
import { freePort, tempDataDir } from './helpers/test-server.js';

/**
 * What the IT person reads when the service will not start or starts with something missing: the
 * built server as a real process (needs `pnpm exec tsc -b`), real ports on 127.0.0.1, real data
 * directories. Refusals are Vietnamese then English, say what to do, and have their own exit code
 * (docs/operations.md, "When the server refuses to start").
 */
const serverMain = new URL('../dist/src/main.js', import.meta.url).pathname;
const dirs: string[] = [];
const children: ChildProcess[] = [];
const holders: Server[] = [];
afterAll(async () => {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGKILL');
      await new Promise((r) => c.once('exit', r));
    }
  }
  for (const h of holders) await new Promise((r) => h.close(r));
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});
const tmp = () => {
  const d = tempDataDir();
  dirs.push(d);
  return d;
};

/** Base environment of a production-like start: no demo, no admin password, no discovery. */
const PROD = { LUOT_DEMO: '0', LUOT_ADMIN_PASSWORD: '', LUOT_DISCOVERY_PORT: 'off', LUOT_LOG_FILE: 'off', LOG_LEVEL: 'error', LUOT_BACKUP_DIR: '' };

/** Starts the built server and resolves with its start banner (stdout up to the blank line after it). */
async function startWithBanner(dataDir: string, env: Record<string, string>): Promise<{ child: ChildProcess; banner: string; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [serverMain], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LUOT_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const banner = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 25 s: ${stdout} ${stderr}`)), 25_000);
    child.stdout!.on('data', (d) => {
      stdout += String(d);
      const m = /Luot \S+ đang chạy \/ is running\n[\s\S]*?\n\n/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  return { child, banner, url: `http://127.0.0.1:${port}` };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

describe('the HTTP port cannot be opened', () => {
  it('a port another program listens on: exit 9, in Vietnamese then English, saying what to do; no stack trace', async () => {
    const port = await freePort();
    const other = createServer();
    holders.push(other);
    await new Promise<void>((r) => other.listen(port, '127.0.0.1', r));
    const r = await runServerUntilExit(tmp(), { port, env: { LUOT_LOG_FILE: 'off' } });
    expect(r.code).toBe(9);
    expect(r.stderr).toContain('Luot không khởi động / Luot did not start:');
    expect(r.stderr).toContain(`Cổng ${port} đang được dùng bởi chương trình khác`);
    expect(r.stderr).toContain(`Port ${port} is in use by another program (127.0.0.1:${port}). Change PORT`);
    expect(r.stderr.indexOf('Cổng')).toBeLessThan(r.stderr.indexOf('Port '));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // The other program was not disturbed.
    expect(other.listening).toBe(true);
  });

  it.skipIf(process.getuid?.() !== 0)('a port below 1024 without the right to open it: exit 10', async () => {
    const dir = tmp();
    chmodSync(dir, 0o777);
    const { spawnSync } = await import('node:child_process');
    // An unprivileged account (nobody), as a service without CAP_NET_BIND_SERVICE.
    const r = spawnSync(process.execPath, [serverMain], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: '81', LUOT_DATA_DIR: join(dir, 'data'), ...PROD },
      uid: 65534,
      gid: 65534,
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(r.status).toBe(10);
    expect(r.stderr).toContain('Không được phép mở cổng 81');
    expect(r.stderr).toContain('Not allowed to listen on port 81 (127.0.0.1:81): ports below 1024 need a privilege. Use PORT=8080');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('a wrong setting', () => {
  const cases: [Record<string, string>, string, string][] = [
    [{ PORT: 'abc' }, 'PORT phải là số cổng', 'PORT must be a port number from 1 to 65535 (e.g. 8080), got "abc"'],
    [{ LUOT_MAX_SOCKETS_PER_ADDRESS: 'abc' }, 'LUOT_MAX_SOCKETS_PER_ADDRESS phải là số nguyên', 'LUOT_MAX_SOCKETS_PER_ADDRESS must be a whole number from 1 to 100000'],
    [{ LUOT_DEMO: 'maybe' }, 'LUOT_DEMO phải là 1', 'LUOT_DEMO must be 1 (demo center) or 0 (none), got "maybe"'],
    [{ LUOT_KIOSK_PRINTER: 'http://printer' }, 'LUOT_KIOSK_PRINTER không đúng', 'LUOT_KIOSK_PRINTER: not a printer URL: http://printer'],
    [{ LUOT_BACKUP_AT: '25:00' }, 'LUOT_BACKUP_AT phải là giờ dạng HH:MM', 'LUOT_BACKUP_AT must be HH:MM (24 h, e.g. 02:00), got "25:00"'],
    [{ LUOT_BACKUP_KEEP: 'many' }, 'LUOT_BACKUP_KEEP phải là số nguyên từ 1 đến 10000', 'LUOT_BACKUP_KEEP must be a whole number from 1 to 10000, got "many"'],
    [{ LUOT_KIOSK_RATE_LIMIT: 'lots' }, 'LUOT_KIOSK_RATE_LIMIT phải có dạng', 'LUOT_KIOSK_RATE_LIMIT must be "burst/perMinute"'],
  ];
  for (const [env, vi, en] of cases) {
    it(`${Object.keys(env)[0]}=${Object.values(env)[0]}: exit 2, one Vietnamese and one English sentence, and where to fix it`, async () => {
      const r = await runServerUntilExit(tmp(), { env: { ...PROD, ...env } });
      expect(r.code).toBe(2);
      const [head, viLine, enLine] = r.stderr.trim().split('\n');
      expect(head).toBe('Luot không khởi động / Luot did not start:');
      expect(viLine).toContain(`Cấu hình sai: ${vi}`);
      expect(viLine).toContain('Sửa /etc/luot/luot.env rồi khởi động lại');
      expect(enLine).toContain(`Bad setting: ${en}`);
      expect(enLine).toContain('Fix /etc/luot/luot.env and restart');
    });
  }

  it('LUOT_DEMO=yes is a yes (the demo center), not ignored', async () => {
    const s = await startWithBanner(tmp(), { ...PROD, LUOT_DEMO: 'yes' });
    expect(s.banner).toContain('Demo: cán bộ canbo1..canbo4');
    expect(s.banner).toMatch(/#token=/);
    await stop(s.child);
  });
});

describe('the start banner says what is missing', () => {
  it('a first production start: no admin account, no backup folder set', async () => {
    const s = await startWithBanner(tmp(), PROD);
    expect(s.banner).toContain('Chưa có tài khoản quản trị: đặt LUOT_ADMIN_PASSWORD rồi khởi động lại, hoặc chạy scripts/reset-admin.');
    expect(s.banner).toContain('No admin account yet: set LUOT_ADMIN_PASSWORD and restart, or run scripts/reset-admin.');
    expect(s.banner).toContain('Chưa đặt LUOT_BACKUP_DIR: không có bản sao lưu hằng đêm.');
    expect(s.banner).toContain('LUOT_BACKUP_DIR is not set: no nightly backups.');
    await stop(s.child);
  });

  it('a backup folder that is not there (the USB stick out), and demo officers still on the demo password once the demo is off', async () => {
    const dir = tmp();
    // The demo once (it seeds canbo1..4 with "demo"), then a production start on the same data.
    const demo = await startWithBanner(dir, { ...PROD, LUOT_DEMO: '1', LUOT_ADMIN_PASSWORD: 'admin-pass-1' });
    expect(demo.banner).not.toContain('canbo1, canbo2');
    await stop(demo.child);
    const stick = join(tmp(), 'stick');
    const s = await startWithBanner(dir, { ...PROD, LUOT_BACKUP_DIR: stick });
    expect(s.banner).toContain('Tài khoản mẫu canbo1, canbo2, canbo3, canbo4 vẫn dùng mật khẩu "demo"');
    expect(s.banner).toContain('The demo accounts canbo1, canbo2, canbo3, canbo4 still have the public password "demo"');
    expect(s.banner).toContain(`Không thấy thư mục sao lưu ${stick}`);
    expect(s.banner).toContain(`The backup folder ${stick} is missing`);
    expect(s.banner).not.toContain('No admin account yet');
    await stop(s.child);

    // The stick plugged in and the demo passwords changed: nothing to warn about.
    mkdirSync(stick);
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(join(dir, 'luot.sqlite'));
    db.prepare(`UPDATE users SET password_hash = ? WHERE username LIKE 'canbo%'`).run(await hashPassword('a-real-password'));
    db.close();
    const quiet = await startWithBanner(dir, { ...PROD, LUOT_BACKUP_DIR: stick });
    expect(quiet.banner).not.toContain(' ! ');
    await stop(quiet.child);
  }, 90_000);
});
