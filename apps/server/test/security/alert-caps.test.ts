import type { DeviceAlert } from '@luot/protocol';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * Device alerts are capped per device (issue 12: one kiosk token kept 120 distinct alerts active,
 * each pushed to every staff screen): at most 5 distinct codes active per device, a 6th refused
 * with a clear error until one is cleared; reports rate-limited per device (10 at once, 30 a
 * minute, 429 with Retry-After); a revoked device's alerts cleared. What staff screens receive is
 * captured on a real officer socket.
 */
const clock = manualClock(Date.parse('2026-11-23T09:00:00+07:00'));
let s: TestServer;
let staff: Socket;
const pushed: DeviceAlert[] = [];
beforeAll(async () => {
  s = await startTestServer({ clock });
  staff = io(s.url, { auth: { token: await s.login('canbo1') }, transports: ['websocket'], reconnection: false });
  staff.on('device:alert', (a: DeviceAlert) => pushed.push(a));
  await new Promise((r) => staff.once('queue:snapshot', r));
});
afterAll(async () => {
  staff.close();
  await s.close();
});

const report = (token: string, code: string, active = true) =>
  s.api('POST', '/alerts', { token, body: { code, message: `Problem ${code}`, messageVi: `Sự cố ${code}`, active } });
const activeOf = async (deviceName: string) =>
  ((await s.api('GET', '/alerts', { token: s.adminToken })).body as DeviceAlert[]).filter((a) => a.deviceName === deviceName).map((a) => a.code).sort();
/** Waits until the staff socket has received `n` pushes in all (pushes follow the HTTP answer). */
const pushes = async (n: number) => {
  for (const end = Date.now() + 3000; pushed.length < n; ) {
    if (Date.now() > end) throw new Error(`staff got ${pushed.length} pushes, expected ${n}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return pushed.slice();
};

async function newDevice(kind: 'kiosk' | 'display', name: string) {
  const r = await s.api('POST', '/devices', { token: s.adminToken, body: { kind, name } });
  expect(r.status).toBe(201);
  return r.body as { id: number; token: string };
}

describe('device alerts, per device', () => {
  it('keeps at most 5 distinct alerts active per device; a 6th is refused until one is cleared', async () => {
    const kiosk = await newDevice('kiosk', 'Kiosk tầng 2');
    const start = pushed.length;
    for (const code of ['a1', 'a2', 'a3', 'a4', 'a5']) expect((await report(kiosk.token, code)).status).toBe(200);
    const sixth = await report(kiosk.token, 'a6');
    expect(sixth.status).toBe(429);
    expect(sixth.body.error).toMatchObject({ code: 'TOO_MANY_REQUESTS', messageVi: expect.any(String) });
    expect(sixth.body.error.message).toMatch(/at most 5 alerts active/);
    expect(await activeOf('Kiosk tầng 2')).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    // An alert already active may be reported again (the printer is still out of paper).
    expect((await report(kiosk.token, 'a3')).status).toBe(200);
    // Clearing one makes room.
    expect((await report(kiosk.token, 'a1', false)).status).toBe(200);
    expect((await report(kiosk.token, 'a6')).status).toBe(200);
    expect(await activeOf('Kiosk tầng 2')).toEqual(['a2', 'a3', 'a4', 'a5', 'a6']);
    // Staff got exactly the accepted reports: 5 + the repeat + the clear + the new one.
    const got = (await pushes(start + 8)).slice(start);
    expect(got.map((a) => `${a.code}:${a.active}`)).toEqual(['a1:true', 'a2:true', 'a3:true', 'a4:true', 'a5:true', 'a3:true', 'a1:false', 'a6:true']);
  });

  it('an all-clear for an alert that is not active is answered but pushed to nobody; server codes are not the device\'s', async () => {
    const tv = await newDevice('display', 'TV sảnh B');
    const start = pushed.length;
    expect((await report(tv.token, 'never-raised', false)).status).toBe(200);
    expect((await report(tv.token, 'device_offline', false)).status).toBe(400);
    expect((await report(tv.token, 'device_offline', true)).status).toBe(400);
    expect((await report(tv.token, 'real', true)).status).toBe(200);
    expect((await pushes(start + 1)).slice(start).map((a) => a.code)).toEqual(['real']);
  });

  it('rate-limits reports per device: 10 at once, then 30 a minute, with Retry-After', async () => {
    const kiosk = await newDevice('kiosk', 'Kiosk flood');
    const other = await newDevice('kiosk', 'Kiosk bên cạnh');
    const start = pushed.length;
    const answers = await Promise.all(Array.from({ length: 120 }, (_, i) => report(kiosk.token, `flood${i % 3}`)));
    const ok = answers.filter((a) => a.status === 200).length;
    expect(ok).toBe(10);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(110);
    const res = await fetch(`${s.url}/api/v1/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${kiosk.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'flood0', message: 'x', messageVi: 'x', active: true }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another device is not affected; the flooding one gets its share back with time.
    expect((await report(other.token, 'paper')).status).toBe(200);
    clock.advance(60_000);
    expect((await report(kiosk.token, 'flood0')).status).toBe(200);
    expect((await pushes(start + 12)).length - start).toBe(12);
  });

  it("a revoked device's alerts are cleared on staff screens", async () => {
    const kiosk = await newDevice('kiosk', 'Kiosk bị thu hồi');
    await report(kiosk.token, 'printer_paper_end');
    expect(await activeOf('Kiosk bị thu hồi')).toEqual(['printer_paper_end']);
    const start = pushed.length;
    expect((await s.api('POST', `/devices/${kiosk.id}/revoke`, { token: s.adminToken })).status).toBe(200);
    expect(await activeOf('Kiosk bị thu hồi')).toEqual([]);
    expect((await pushes(start + 1)).slice(start)).toEqual([expect.objectContaining({ code: 'printer_paper_end', active: false, deviceName: 'Kiosk bị thu hồi' })]);
    expect((await report(kiosk.token, 'again')).status).toBe(401);
  });
});
