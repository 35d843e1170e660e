import { Writable } from 'node:stream';
import type { DeviceAlert } from '@luot/protocol';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchClock, type ClockWatch } from '../src/clock.js';
import { QueueClient } from './helpers/queue-client.js';
import { manualClock, startTestServer, type TestServer } from './helpers/test-server.js';

// Issue 11: "a clock jump is logged and shown to the admin". The watch compares the wall clock
// with the monotonic one, as main.ts runs it, on a real server with its real staff alerts.
const clock = manualClock(Date.parse('2026-11-23T10:00:00+07:00'));
let s: TestServer;
let staff: QueueClient;
let watch: ClockWatch;
const seen: DeviceAlert[] = [];
const logLines: { level: number; msg: string; skewMs?: number }[] = [];
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  }),
);

beforeAll(async () => {
  s = await startTestServer({ clock });
  staff = new QueueClient(s.url, await s.login('canbo1'));
  staff.socket.on('device:alert', (a) => seen.push(a));
  await staff.connected();
  // A long interval: the test makes each comparison itself (the timer is tested below).
  watch = watchClock({ clock, alerts: s.server.ctx.alerts, repos: s.server.ctx.repos, logger, intervalMs: 3_600_000, alertForMs: 10 * 60_000 });
});
afterAll(async () => {
  watch.stop();
  staff.close();
  await s.close();
});

const until = async (pred: () => boolean, ms = 3000) => {
  for (const end = Date.now() + ms; !pred(); ) {
    if (Date.now() > end) throw new Error('not in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};
const activeAlerts = async () => ((await s.api('GET', '/alerts', { token: s.adminToken })).body as DeviceAlert[]).filter((a) => a.code === 'clock_jump');
const audit = async () => ((await s.api('GET', '/admin/audit', { token: s.adminToken })).body as { action: string; detail: { skewMs: number; from: string; to: string } }[]).filter((a) => a.action === 'clock.jump');

describe('clock jumps', () => {
  it('time passing and small drift are no jump', async () => {
    clock.advance(30_000);
    expect(watch.check()).toBeNull();
    clock.advance(10 * 60_000);
    clock.jump(90_000); // NTP correcting a minute and a half: under the 2-minute threshold
    expect(watch.check()).toBeNull();
    clock.jump(-90_000);
    expect(watch.check()).toBeNull();
    expect(await activeAlerts()).toEqual([]);
    expect(await audit()).toEqual([]);
    expect(logLines.filter((l) => l.level >= 40)).toEqual([]);
  });

  it('a clock set back an hour is logged, audited and shown to staff as a server alert', async () => {
    clock.advance(20_000);
    clock.jump(-60 * 60_000);
    const jump = watch.check();
    expect(jump?.skewMs).toBe(-60 * 60_000);

    await until(() => seen.some((a) => a.code === 'clock_jump' && a.active));
    const alert = seen.find((a) => a.code === 'clock_jump')!;
    expect(alert).toMatchObject({ deviceId: 0, deviceName: 'Máy chủ / Server', active: true });
    expect(alert.messageVi).toContain('lùi khoảng 60 phút');
    expect(alert.message).toContain('set back by about 60 min');
    // From the last comparison (10:10:30) to now: 20 s later by real time, an hour earlier by the wall.
    expect(alert.messageVi).toContain('2026-11-23T10:10:30.000+07:00 → 2026-11-23T09:10:50.000+07:00');
    expect((await activeAlerts()).map((a) => a.deviceId)).toEqual([0]);

    const entries = await audit();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.detail).toEqual({ from: '2026-11-23T10:10:30.000+07:00', to: '2026-11-23T09:10:50.000+07:00', skewMs: -3_600_000 });

    const warn = logLines.filter((l) => l.level === 40);
    expect(warn).toHaveLength(1);
    expect(warn[0]).toMatchObject({ msg: 'clock jump: the wall clock was set back', skewMs: -3_600_000 });
  });

  it('a jump forward too; the alert clears by itself once the clock has been steady a while', async () => {
    clock.advance(60_000);
    clock.jump(3 * 60 * 60_000);
    expect(watch.check()?.skewMs).toBe(3 * 60 * 60_000);
    await until(() => seen.filter((a) => a.code === 'clock_jump' && a.active).length === 2);
    expect(seen.at(-1)!.message).toContain('jumped forward by about 180 min');
    expect(await audit()).toHaveLength(2);

    // Steady for less than the alert's time: still shown.
    clock.advance(5 * 60_000);
    expect(watch.check()).toBeNull();
    expect(await activeAlerts()).toHaveLength(1);
    clock.advance(6 * 60_000);
    expect(watch.check()).toBeNull();
    await until(() => seen.some((a) => a.code === 'clock_jump' && !a.active));
    expect(await activeAlerts()).toEqual([]);
  });

  it('the watch\'s own timer finds a jump without anyone asking', async () => {
    const timed = watchClock({ clock, alerts: s.server.ctx.alerts, repos: s.server.ctx.repos, logger, intervalMs: 25 });
    try {
      const before = (await audit()).length;
      clock.jump(-15 * 60_000);
      await until(() => seen.filter((a) => a.code === 'clock_jump' && a.active).length === 3);
      expect(await audit()).toHaveLength(before + 1);
    } finally {
      timed.stop();
    }
  });
});
