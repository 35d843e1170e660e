import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CenterUpdatedEvent } from '@luot/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { createRepos } from '../src/db/repos.js';
import { QueueClient } from './helpers/queue-client.js';
import { startTestServer, tempDataDir, type TestServer } from './helpers/test-server.js';

const dataDir = tempDataDir();
let s: TestServer;
let tv: QueueClient;
beforeAll(async () => {
  s = await startTestServer({ dataDir });
  tv = new QueueClient(s.url, s.displayToken);
  await tv.connected();
});
afterAll(async () => {
  tv.close();
  await s.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const admin = (method: string, path: string, body?: unknown) => s.api(method, `/admin${path}`, { token: s.adminToken, body });

describe("the TV's announcement settings", () => {
  it('default to a 10 s maximum lag and no repeat, in the admin settings and on every screen', async () => {
    const r = await admin('GET', '/settings');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ announceMaxLagSeconds: 10, announceRepeat: false });
    expect(tv.state!.center).toMatchObject({ announceMaxLagSeconds: 10, announceRepeat: false });
  });

  it('an admin change reaches a connected TV as center:updated and a fresh snapshot carries it', async () => {
    const events: CenterUpdatedEvent[] = [];
    tv.socket.on('center:updated', (e) => events.push(e));
    const r = await admin('PATCH', '/settings', { announceMaxLagSeconds: 25, announceRepeat: true });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ announceMaxLagSeconds: 25, announceRepeat: true });
    const st = await tv.until((x) => x.center?.announceRepeat === true);
    expect(events).toHaveLength(1);
    expect(events[0]!.center).toMatchObject({ announceMaxLagSeconds: 25, announceRepeat: true });
    expect(st.center).toEqual(s.server.ctx.queue.snapshot().center);
    expect((await admin('GET', '/settings')).body).toMatchObject({ announceMaxLagSeconds: 25, announceRepeat: true });

    // Changing only the lag is announced too (it is part of what screens show).
    await admin('PATCH', '/settings', { announceMaxLagSeconds: 3 });
    await tv.until((x) => x.center?.announceMaxLagSeconds === 3);
    expect(events).toHaveLength(2);
  });

  it('refuses a lag outside 3..120 s and a non-boolean repeat, changing nothing', async () => {
    for (const body of [{ announceMaxLagSeconds: 2 }, { announceMaxLagSeconds: 121 }, { announceMaxLagSeconds: 5.5 }, { announceRepeat: 'yes' }]) {
      const r = await admin('PATCH', '/settings', body);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('INVALID_INPUT');
      expect(r.body.error.messageVi).toBeTruthy();
    }
    expect((await admin('GET', '/settings')).body).toMatchObject({ announceMaxLagSeconds: 3, announceRepeat: true });
  });

  it('are stored in the data file itself', async () => {
    const db = new Database(join(dataDir, 'luot.sqlite'), { readonly: true });
    try {
      const row = db.prepare(`SELECT value FROM settings WHERE key = 'center'`).get() as { value: string };
      expect(JSON.parse(row.value)).toMatchObject({ announceMaxLagSeconds: 3, announceRepeat: true });
    } finally {
      db.close();
    }
  });
});

describe('migration 0004', () => {
  it('writes the announcement defaults into a center saved by an older Luot and adds the key table', () => {
    const dir = tempDataDir();
    const file = join(dir, 'v3.sqlite');
    const old = new Database(file);
    migrate(old, loadMigrations().filter((m) => m.version <= 3));
    old.exec(`INSERT INTO settings (key, value) VALUES ('center', '{"centerName":"UBND xã Hòa Bình","timeZone":"Asia/Ho_Chi_Minh"}')`);
    old.close();
    const db = openDatabase(file);
    try {
      const raw = JSON.parse((db.prepare(`SELECT value FROM settings WHERE key = 'center'`).get() as { value: string }).value);
      expect(raw).toEqual({ centerName: 'UBND xã Hòa Bình', timeZone: 'Asia/Ho_Chi_Minh', announceMaxLagSeconds: 10, announceRepeat: false });
      expect(createRepos(db).settings.center()).toMatchObject({ centerName: 'UBND xã Hòa Bình', announceMaxLagSeconds: 10, announceRepeat: false });
      expect(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'issue_keys'`).get()).toEqual({ name: 'issue_keys' });
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
