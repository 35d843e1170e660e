import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, startTestServer, type TestServer } from './helpers/test-server.js';

const clock = manualClock(Date.parse('2026-11-23T08:00:00+07:00'));
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ clock, kioskRateLimit: { burst: 3, perMinute: 6 } });
});
afterAll(() => s.close());

const issue = (key?: string, token = s.kioskToken) =>
  fetch(`${s.url}/api/v1/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify({ serviceId: 1 }),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

describe('one tap, one ticket', () => {
  it('answers a retried request (same Idempotency-Key) with the same ticket', async () => {
    const a = await issue('tap-0001-abcdef');
    const b = await issue('tap-0001-abcdef');
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(b.body.number).toBe(a.body.number);
    const c = await issue('tap-0002-abcdef');
    expect(c.body.number).not.toBe(a.body.number);
    expect((await issue('bad key!')).status).toBe(400);
  });

  it('limits one kiosk to its burst, then refills with time; other kiosks are unaffected', async () => {
    clock.advance(60_000);
    const results = [];
    for (let i = 0; i < 5; i++) results.push((await issue()).status);
    expect(results).toEqual([201, 201, 201, 429, 429]);
    const refused = await issue();
    expect(refused.body.error).toMatchObject({ code: 'TOO_MANY_REQUESTS', messageVi: expect.stringMatching(/\S/) });
    const other = await s.api('POST', '/devices', { token: s.adminToken, body: { kind: 'kiosk', name: 'Kiosk 2' } });
    expect((await issue(undefined, other.body.token)).status).toBe(201);
    clock.advance(10_000); // 6 a minute: one more every 10 s
    expect((await issue()).status).toBe(201);
    expect((await issue()).status).toBe(429);
  });
});
