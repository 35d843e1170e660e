import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceAlert } from '@luot/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlerts } from './alerts.js';
import { systemClock } from './clock.js';
import { openDatabase, type Db } from './db/open.js';
import { createRepos } from './db/repos.js';
import { createPresence, type DeviceActor } from './presence.js';

/** Short enough for a quick test, long enough that a reconnect a moment later is "within the gap". */
const OFFLINE_AFTER_MS = 80;

let dir: string;
let db: Db;
let repos: ReturnType<typeof createRepos>;
let seen: DeviceAlert[];
let errors: unknown[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'luot-presence-'));
  db = openDatabase(join(dir, 'luot.sqlite'));
  repos = createRepos(db);
  seen = [];
  errors = [];
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const presenceWith = (devices: Parameters<typeof createPresence>[0]['devices'] = repos.devices) =>
  createPresence({
    // The real alerts: what staff screens would be sent is what `seen` records.
    alerts: createAlerts(systemClock, () => 'Asia/Ho_Chi_Minh', (a) => seen.push(a)),
    devices,
    logger: { error: (obj: unknown) => void errors.push(obj) },
    offlineAfterMs: OFFLINE_AFTER_MS,
  });

const device = (kind: 'kiosk' | 'display', name: string): DeviceActor => ({
  kind: 'device',
  deviceId: repos.devices.create(kind, name, systemClock.now()),
  name,
  role: kind,
});

/** Polls until the condition holds (fails after 3 s): the alert comes from a timer. */
async function until(cond: () => boolean) {
  const deadline = Date.now() + 3000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in 3 s');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const offlineOf = (d: DeviceActor) => seen.filter((a) => a.deviceId === d.deviceId && a.code === 'device_offline');

describe('device presence', () => {
  it('raises "offline" for a kiosk gone longer than the gap, in both languages, and clears it when it is back', async () => {
    const presence = presenceWith();
    const kiosk = device('kiosk', 'Kiosk sảnh');
    presence.connected(kiosk);
    const leftAt = Date.now();
    presence.disconnected(kiosk);
    await until(() => offlineOf(kiosk).length === 1);
    expect(Date.now() - leftAt).toBeGreaterThanOrEqual(OFFLINE_AFTER_MS - 5);
    expect(offlineOf(kiosk)[0]).toMatchObject({
      deviceName: 'Kiosk sảnh',
      active: true,
      message: 'The ticket kiosk is offline.',
      messageVi: 'Máy lấy số mất kết nối.',
    });

    presence.connected(kiosk);
    expect(offlineOf(kiosk).map((a) => a.active)).toEqual([true, false]);
  });

  it('says "display" for a TV', async () => {
    const presence = presenceWith();
    const tv = device('display', 'TV 1');
    presence.connected(tv);
    presence.disconnected(tv);
    await until(() => offlineOf(tv).length === 1);
    expect(offlineOf(tv)[0]).toMatchObject({ message: 'A screen (waiting-room TV or rating tablet) is offline.', messageVi: 'Màn hình (TV phòng chờ hoặc máy đánh giá) mất kết nối.' });
  });

  // Absence is shown against a control device that leaves at the same moment: its alert comes
  // from a timer set after the other's, so once it is there the other's would have been too.
  it('raises nothing for a short gap (a page reload) or while another connection of the device is open', async () => {
    const presence = presenceWith();
    const reloaded = device('kiosk', 'reloaded');
    const twoTabs = device('display', 'two tabs');
    const control = device('kiosk', 'control');
    presence.connected(reloaded);
    presence.connected(twoTabs);
    presence.connected(twoTabs);
    presence.connected(control);

    presence.disconnected(reloaded);
    presence.connected(reloaded);
    presence.disconnected(twoTabs);
    presence.disconnected(control);
    await until(() => offlineOf(control).length === 1);
    expect(offlineOf(reloaded)).toEqual([]);
    expect(offlineOf(twoTabs)).toEqual([]);
    // Nothing was raised, so coming back clears nothing either.
    presence.connected(twoTabs);
    expect(offlineOf(twoTabs)).toEqual([]);

    // The last connection of the two closes: now it is gone.
    presence.disconnected(twoTabs);
    presence.disconnected(twoTabs);
    await until(() => offlineOf(twoTabs).length === 1);
  });

  it('raises nothing for a revoked device: its absence is expected', async () => {
    const presence = presenceWith();
    const revoked = device('kiosk', 'revoked');
    const control = device('kiosk', 'control');
    presence.connected(revoked);
    presence.connected(control);
    repos.devices.revoke(revoked.deviceId, systemClock.now());
    presence.disconnected(revoked);
    presence.disconnected(control);
    await until(() => offlineOf(control).length === 1);
    expect(offlineOf(revoked)).toEqual([]);
  });

  it('logs a check that cannot read the database instead of throwing out of the timer', async () => {
    const presence = presenceWith({
      get: () => {
        throw new Error('disk I/O error');
      },
    });
    const kiosk = device('kiosk', 'unreadable');
    presence.connected(kiosk);
    presence.disconnected(kiosk);
    await until(() => errors.length === 1);
    expect(errors[0]).toMatchObject({ deviceId: kiosk.deviceId });
    expect(offlineOf(kiosk)).toEqual([]);
  });
});
