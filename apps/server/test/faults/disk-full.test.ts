import type { ChildProcess } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceAlert } from '@luot/protocol';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueClient } from '../helpers/queue-client.js';
import { ADMIN_PASSWORD, freePort, spawnServer } from '../helpers/test-server.js';
import { fillDisk, get, mountTmpfs, post, runServerUntilExit, waitFor } from './fault-helpers.js';

/**
 * Disk full, for real: the built server as a child process with its data directory (database,
 * WAL, log files) on a 4 MB tmpfs that the test fills to the last byte. Needs `pnpm exec tsc -b`
 * and root (mount).
 */
let fs: ReturnType<typeof mountTmpfs>;
let child: ChildProcess;
let url: string;
let stderr = '';
const dataDir = () => join(fs.dir, 'data');

beforeAll(async () => {
  fs = mountTmpfs('4m');
  const port = await freePort();
  ({ child, url } = await spawnServer(dataDir(), port));
  child.stderr!.on('data', (d) => (stderr += String(d)));
});
afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
  fs?.unmount();
});

describe('a full disk', () => {
  it('answers 503 STORAGE_FULL at once, alerts staff, stays up, loses nothing, and resumes by itself', async () => {
    const admin = (await post(url, '/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).body.token as string;
    const kiosk = (await post(url, '/devices', admin, { kind: 'kiosk', name: 'disk kiosk' })).body.token as string;
    const officer = (await post(url, '/auth/login', null, { username: 'canbo1', password: 'demo' })).body.token as string;
    const staff = new QueueClient(url, officer);
    const alerts: DeviceAlert[] = [];
    staff.socket.on('device:alert', (a) => alerts.push(a));
    await staff.connected();
    const serviceId = ((await get(url, '/services')).body as { id: number }[])[0]!.id;
    const acknowledged: { id: string; number: string }[] = [];
    const issue = async () => {
      const started = Date.now();
      const r = await post(url, '/tickets', kiosk, { serviceId });
      if (r.status === 201) acknowledged.push(r.body);
      return { ...r, ms: Date.now() - started };
    };
    for (let i = 0; i < 5; i++) expect((await issue()).status).toBe(201);

    const filler = fillDisk(fs.dir);
    expect(filler.bytes).toBeGreaterThan(0);
    // SQLite may still have room in its WAL for a few commits; then every issue is refused.
    let refused: Awaited<ReturnType<typeof issue>> | null = null;
    for (let i = 0; i < 500 && !refused; i++) {
      const r = await issue();
      if (r.status !== 201) refused = r;
    }
    expect(refused).not.toBeNull();
    expect(refused!.status).toBe(503);
    expect(refused!.body.error).toMatchObject({ code: 'STORAGE_FULL', messageVi: expect.stringContaining('Ổ đĩa') });
    for (let i = 0; i < 5; i++) {
      const r = await issue();
      expect([r.status, r.body.error?.code]).toEqual([503, 'STORAGE_FULL']);
      expect(r.ms).toBeLessThan(1000);
    }

    // The process is alive and still serves what needs no write.
    expect(child.exitCode).toBeNull();
    expect((await get(url, '/health')).status).toBe(200);
    for (const t of acknowledged) expect((await get(url, `/tickets/${t.id}`)).body.number).toBe(t.number);

    // Staff see one "disk full" alert from the server itself, live and on reload.
    await waitFor(() => alerts.some((a) => a.code === 'disk_full' && a.active), 5000, 'disk_full alert on the staff socket');
    const active = (await get(url, '/alerts', admin)).body as DeviceAlert[];
    expect(active).toEqual([expect.objectContaining({ deviceId: 0, deviceName: 'Máy chủ / Server', code: 'disk_full', active: true })]);
    expect(alerts.filter((a) => a.code === 'disk_full' && a.active)).toHaveLength(1);
    // The log file could not be written: said once on stderr, not once per line.
    await waitFor(() => stderr.includes('ENOSPC'), 5000, 'log trouble on stderr');
    expect(stderr.match(/cannot write the log/g)).toHaveLength(1);

    // Space returns: the next issue works, numbering continues without a gap.
    rmSync(filler.file);
    const back = await issue();
    expect(back.status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await issue()).status).toBe(201);
    const seqs = acknowledged.map((t) => Number(t.number.slice(-3)));
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    // The alert clears by itself (the server checks every few seconds).
    await waitFor(() => alerts.some((a) => a.code === 'disk_full' && !a.active), 15_000, 'disk_full cleared');
    expect((await get(url, '/alerts', admin)).body).toEqual([]);
    staff.close();

    // Everything acknowledged is in the file after a clean stop, with its number.
    child.kill('SIGTERM');
    expect(await new Promise((r) => child.once('exit', r))).toBe(0);
    const db = new Database(join(dataDir(), 'luot.sqlite'), { readonly: true });
    const rows = db.prepare('SELECT id, number FROM tickets ORDER BY seq').all() as { id: string; number: string }[];
    db.close();
    expect(rows.map((r) => `${r.id}:${r.number}`)).toEqual(acknowledged.map((t) => `${t.id}:${t.number}`));
    expect(readdirSync(join(dataDir(), 'logs')).length).toBeGreaterThan(0);
  }, 60_000);

  it('a server (re)started while the disk is full says so and exits; once there is room it starts', async () => {
    const small = mountTmpfs('2m');
    try {
      const dir = join(small.dir, 'data');
      const port = await freePort();
      const first = await spawnServer(dir, port);
      first.child.kill('SIGTERM');
      await new Promise((r) => first.child.once('exit', r));
      const filler = fillDisk(small.dir);
      const r = await runServerUntilExit(dir, { port });
      expect(r.code).toBe(7);
      expect(r.ms).toBeLessThan(2000);
      expect(r.stderr).toContain('is full: the database cannot be opened');
      expect(r.stderr).toContain('đã đầy');
      rmSync(filler.file);
      const again = await spawnServer(dir, port);
      expect((await get(again.url, '/health')).status).toBe(200);
      again.child.kill('SIGTERM');
      await new Promise((res) => again.child.once('exit', res));
    } finally {
      small.unmount();
    }
  });
});
