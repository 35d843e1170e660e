import type { ChildProcess } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, spawnServer, tempDataDir } from '../helpers/test-server.js';
import { get, mountTmpfs, runServerUntilExit } from './fault-helpers.js';

/**
 * Start-up refusals with the built server as real processes (needs `pnpm exec tsc -b`; the
 * read-only cases mount a read-only tmpfs, so root). "Within a second" is measured from spawn
 * to exit, Node's own start included.
 */
const dirs: string[] = [];
const mounts: ReturnType<typeof mountTmpfs>[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGKILL');
      await new Promise((r) => c.once('exit', r));
    }
  }
  mounts.forEach((m) => m.unmount());
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});
const tmp = () => {
  const d = tempDataDir();
  dirs.push(d);
  return d;
};
const exited = (c: ChildProcess) => new Promise((r) => c.once('exit', r));

describe('one data directory, one server', () => {
  it('refuses a second server at once, naming the first; after the first is killed a new one starts', async () => {
    const dir = tmp();
    const first = await spawnServer(dir, await freePort());
    children.push(first.child);

    const second = await runServerUntilExit(dir, { port: await freePort() });
    expect(second.code).toBe(4);
    expect(second.ms).toBeLessThan(1000);
    expect(second.stderr).toContain('Another Luot process is using the data directory');
    expect(second.stderr).toContain('Một tiến trình Luot khác');
    expect(second.stderr).toContain(`process ${first.child.pid}`);
    // The first one never noticed.
    expect((await get(first.url, '/health')).status).toBe(200);

    // SIGKILL: no clean-up code runs, the kernel drops the lock; nothing stale is left to delete.
    first.child.kill('SIGKILL');
    await exited(first.child);
    const third = await spawnServer(dir, await freePort());
    children.push(third.child);
    expect((await get(third.url, '/health')).status).toBe(200);
    third.child.kill('SIGTERM');
    expect(await exited(third.child)).toBe(0);
  });
});

describe('a missing or read-only data directory', () => {
  it('creates a missing data directory when its parent is writable', async () => {
    const dir = join(tmp(), 'new-data');
    const s = await spawnServer(dir, await freePort());
    children.push(s.child);
    expect(existsSync(join(dir, 'luot.sqlite'))).toBe(true);
    s.child.kill('SIGTERM');
    await exited(s.child);
  });

  it('refuses within a second when the data directory and its parent are missing', async () => {
    const dir = join(tmp(), 'no-such-disk', 'data');
    const r = await runServerUntilExit(dir);
    expect(r.code).toBe(3);
    expect(r.ms).toBeLessThan(1000);
    expect(r.stderr).toMatch(/The data directory .*no-such-disk\/data is missing, and so is its parent/);
    expect(r.stderr).toContain('không tồn tại');
    expect(existsSync(join(dir, '..'))).toBe(false);
  });

  it('refuses within a second when the data directory is on a read-only file system', async () => {
    const ro = mountTmpfs('1m', { readOnly: true });
    mounts.push(ro);
    const r = await runServerUntilExit(ro.dir);
    expect(r.code).toBe(3);
    expect(r.ms).toBeLessThan(1000);
    expect(r.stderr).toContain(`Cannot write in the data directory ${ro.dir}: the file system is read-only`);
    expect(r.stderr).toContain('chỉ cho phép đọc');
  });

  it('refuses within a second when the data directory is missing and its parent is read-only', async () => {
    const ro = mountTmpfs('1m', { readOnly: true });
    mounts.push(ro);
    const r = await runServerUntilExit(join(ro.dir, 'data'));
    expect(r.code).toBe(3);
    expect(r.ms).toBeLessThan(1000);
    expect(r.stderr).toMatch(/is missing and cannot be created in .*: the file system is read-only/);
  });

  it('refuses a data directory that is a file', async () => {
    const file = join(tmp(), 'data');
    writeFileSync(file, 'x');
    const r = await runServerUntilExit(file);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('is not a directory');
  });
});
