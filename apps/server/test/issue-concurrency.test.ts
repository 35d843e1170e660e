import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

describe('issuing tickets from 4 kiosks at once', () => {
  it('gives 200 tickets numbers that are unique and gapless per service', async () => {
    const kiosks = [s.kioskToken];
    for (let i = 2; i <= 4; i++) {
      const r = await s.api('POST', '/devices', { token: s.adminToken, body: { kind: 'kiosk', name: `Kiosk ${i}` } });
      expect(r.status).toBe(201);
      kiosks.push(r.body.token);
    }
    const services = (await s.api('GET', '/services')).body as { id: number; prefix: string }[];
    const requests = Array.from({ length: 200 }, (_, i) =>
      s.api('POST', '/tickets', { token: kiosks[i % 4], body: { serviceId: services[i % 3]!.id, priority: i % 7 === 0 } }),
    );
    const results = await Promise.all(requests);
    expect(results.every((r) => r.status === 201)).toBe(true);

    for (const svc of services) {
      const numbers = results.filter((r) => r.body.serviceId === svc.id).map((r) => r.body.number as string);
      const seqs = numbers.map((n) => Number(n.slice(svc.prefix.length))).sort((a, b) => a - b);
      expect(new Set(numbers).size).toBe(numbers.length);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect(numbers.every((n) => n.startsWith(svc.prefix) && n.length === svc.prefix.length + 3)).toBe(true);
    }
    const ids = new Set(results.map((r) => r.body.id));
    expect(ids.size).toBe(200);

    // The waiting counts agree with what was issued.
    const after = (await s.api('GET', '/services')).body as { id: number; waiting: number }[];
    expect(after.reduce((n, x) => n + x.waiting, 0)).toBe(200);
  });
});
