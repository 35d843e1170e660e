import type { DeviceAlert } from '@luot/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueClient } from './helpers/queue-client.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

let s: TestServer;
let staff: QueueClient;
const seen: DeviceAlert[] = [];
beforeAll(async () => {
  s = await startTestServer({ deviceOfflineAfterMs: 300 });
  staff = new QueueClient(s.url, await s.login('canbo1'));
  staff.socket.on('device:alert', (a) => seen.push(a));
  await staff.connected();
});
afterAll(async () => {
  staff.close();
  await s.close();
});

const until = async (pred: () => boolean, ms = 3000) => {
  for (const end = Date.now() + ms; !pred(); ) {
    if (Date.now() > end) throw new Error('not in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};
const activeAlerts = async () => (await s.api('GET', '/alerts', { token: s.adminToken })).body as DeviceAlert[];

describe('device alerts for staff', () => {
  it('relays a kiosk\'s own report (printer out of paper) to staff, and its all-clear', async () => {
    const r = await s.api('POST', '/alerts', { token: s.kioskToken, body: { code: 'printer_paper_end', message: 'Out of paper', messageVi: 'Hết giấy', active: true } });
    expect(r.status).toBe(200);
    await until(() => seen.some((a) => a.code === 'printer_paper_end' && a.active));
    expect((await activeAlerts()).map((a) => a.code)).toEqual(['printer_paper_end']);
    await s.api('POST', '/alerts', { token: s.kioskToken, body: { code: 'printer_paper_end', message: 'ok', messageVi: 'ok', active: false } });
    expect(await activeAlerts()).toEqual([]);
    // Only devices report their own trouble.
    expect((await s.api('POST', '/alerts', { token: await s.login('canbo2'), body: { code: 'x', message: 'x', messageVi: 'x', active: true } })).status).toBe(403);
  });

  it('raises "kiosk offline" when a kiosk stays disconnected, and clears it when it is back', async () => {
    const kiosk = new QueueClient(s.url, s.kioskToken, { reconnection: false });
    await kiosk.connected();
    // A reload (disconnect and back within the delay) raises nothing.
    kiosk.close();
    const again = new QueueClient(s.url, s.kioskToken, { reconnection: false });
    await again.connected();
    await new Promise((r) => setTimeout(r, 450));
    expect(seen.some((a) => a.code === 'device_offline')).toBe(false);

    again.close();
    await until(() => seen.some((a) => a.code === 'device_offline' && a.active));
    const offline = seen.find((a) => a.code === 'device_offline')!;
    expect(offline).toMatchObject({ deviceName: 'Kiosk sảnh (demo)', messageVi: 'Máy lấy số mất kết nối.', active: true });
    expect((await activeAlerts()).map((a) => a.code)).toEqual(['device_offline']);

    const back = new QueueClient(s.url, s.kioskToken, { reconnection: false });
    await back.connected();
    await until(() => seen.some((a) => a.code === 'device_offline' && !a.active));
    expect(await activeAlerts()).toEqual([]);
    back.close();
  });
});
