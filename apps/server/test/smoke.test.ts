import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

describe('smoke', () => {
  it('answers health and issues a ticket', async () => {
    expect((await s.api('GET', '/health')).body.status).toBe('ok');
    const services = (await s.api('GET', '/services')).body;
    expect(services.map((x: any) => x.code)).toEqual(['land', 'civil-status', 'certification']);
    const r = await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: services[0].id } });
    expect(r.status).toBe(201);
    expect(r.body.number).toBe('1001');
  });
});
