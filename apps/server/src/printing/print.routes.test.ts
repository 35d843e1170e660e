import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeEscPosJob, rasterOf, startFakePrinter, type FakePrinter } from '@luot/ticket-printer/testing';
import { startTestServer, type TestServer } from '../../test/helpers/test-server.js';
import { parseKioskPrinters, parsePrinterTarget } from './kiosk-printers.js';
import { printTestApp } from './print-test-app.js';
import type { printRoutes } from './print.routes.js';
import { createRateLimiter } from './rate-limit.js';

/**
 * The print route on the real queue (real SQLite, real tickets issued by the kiosk token) and the
 * fake network printer. The route runs on a second Fastify instance that shares the test server's
 * context, wired like server.ts does, so each test can give it its own options; the kiosk e2e
 * tests use the route as createServer registers it.
 */
let ts: TestServer;
let printer: FakePrinter;
let app: FastifyInstance;

const printApp = (opts: Parameters<typeof printRoutes>[2]) => printTestApp(ts.server.ctx, ts.clock, opts ?? {});

const print = (id: string, token: string) => app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/print`, headers: { authorization: `Bearer ${token}`, host: 'luot.local:8080' }, payload: {} });

async function issue(token = ts.kioskToken) {
  const services = await ts.api('GET', '/services');
  const land = services.body.find((s: { code: string }) => s.code === 'land');
  const r = await ts.api('POST', '/tickets', { token, body: { serviceId: land.id } });
  expect(r.status).toBe(201);
  return r.body as { id: string; number: string };
}

beforeEach(async () => {
  ts = await startTestServer();
  printer = await startFakePrinter();
  app = await printApp({ printers: parseKioskPrinters(`tcp://${printer.host}:${printer.port}`) });
});
afterEach(async () => {
  await app.close();
  await printer.close();
  await ts.close();
});

describe('POST /tickets/:id/print', () => {
  it('prints the kiosk’s ticket once on its printer', async () => {
    const t = await issue();
    const r = await print(t.id, ts.kioskToken);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ printed: true });
    const [bytes] = await printer.waitForJobs(1);
    // A whole raster ticket (header, number, QR) that decodes cleanly, ending in a cut.
    const decoded = decodeEscPosJob(bytes!);
    expect(rasterOf(decoded).height).toBeGreaterThan(400);
    expect(decoded.some((c) => c.kind === 'cut')).toBe(true);
    expect(printer.decodeErrors).toEqual([]);

    expect((await print(t.id, ts.kioskToken)).json()).toEqual({ printed: true, duplicate: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(printer.jobs).toHaveLength(1);
  });

  it('two requests at once print one ticket', async () => {
    const t = await issue();
    const [a, b] = await Promise.all([print(t.id, ts.kioskToken), print(t.id, ts.kioskToken)]);
    expect([a.json(), b.json()]).toEqual([{ printed: true }, { printed: true }]);
    await printer.waitForJobs(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(printer.jobs).toHaveLength(1);
  });

  it('answers printed:false with the reason when the printer is out of paper, and sends nothing', async () => {
    printer.state = 'paper-end';
    const t = await issue();
    const r = await print(t.id, ts.kioskToken);
    expect(r.json()).toMatchObject({ printed: false, code: 'paper_end', messageVi: expect.stringContaining('hết giấy') });
    expect(printer.jobs).toHaveLength(0);
  });

  it('a printer that resets in the middle of the ticket: printed:false, and ADR 0002 cancels the number', async () => {
    const t = await issue();
    printer.failNextJob({ afterBytes: 2000, fault: 'reset' });
    const r = await print(t.id, ts.kioskToken);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ printed: false, code: 'offline', messageVi: expect.stringContaining('không xác nhận') });
    expect(printer.lostJobs).toHaveLength(1);
    expect(printer.jobs).toHaveLength(0);
    // The kiosk reports it (ADR 0002); the center's default cancels the number: never served on half a ticket.
    const failed = await ts.api('POST', `/tickets/${t.id}/print-failed`, { token: ts.kioskToken, body: { code: 'offline' } });
    expect(failed.status).toBe(200);
    expect((await ts.api('GET', `/tickets/${t.id}`)).body.status).toBe('cancelled');
    // The printer is back: the next ticket prints and is confirmed.
    const next = await issue();
    expect((await print(next.id, ts.kioskToken)).json()).toEqual({ printed: true });
  });

  it('paper running out in the middle of the ticket: printed:false paper_end', async () => {
    const t = await issue();
    printer.failNextJob({ afterBytes: 2000, fault: 'paper-end' });
    expect((await print(t.id, ts.kioskToken)).json()).toMatchObject({ printed: false, code: 'paper_end' });
  });

  it('refuses other roles, other kiosks’ tickets and tickets no longer waiting', async () => {
    const t = await issue();
    expect((await print(t.id, ts.displayToken)).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: `/api/v1/tickets/${t.id}/print` })).statusCode).toBe(401);
    const other = await ts.api('POST', '/devices', { token: ts.adminToken, body: { kind: 'kiosk', name: 'Kiosk 2' } });
    expect((await print(t.id, other.body.token)).json().error.code).toBe('FORBIDDEN');
    expect((await print('no-such-ticket-000000', ts.kioskToken)).statusCode).toBe(404);
    expect((await print('../../etc/passwd', ts.kioskToken)).statusCode).toBeGreaterThanOrEqual(400);
    await ts.api('POST', `/tickets/${t.id}/print-failed`, { token: ts.kioskToken, body: { code: 'paper_end' } });
    expect((await print(t.id, ts.kioskToken)).json().error.code).toBe('TICKET_NOT_WAITING');
    expect(printer.jobs).toHaveLength(0);
  });

  it('says not_configured when no printer is set for the kiosk', async () => {
    await app.close();
    app = await printApp({ printers: parseKioskPrinters('') });
    const t = await issue();
    expect((await print(t.id, ts.kioskToken)).json()).toMatchObject({ printed: false, code: 'not_configured' });
  });

  it('limits print requests per kiosk', async () => {
    await app.close();
    app = await printApp({ printers: parseKioskPrinters(`tcp://${printer.host}:${printer.port}`), rateLimiter: createRateLimiter({ burst: 2, perMinute: 1 }) });
    const t = await issue();
    expect((await print(t.id, ts.kioskToken)).statusCode).toBe(200);
    expect((await print(t.id, ts.kioskToken)).statusCode).toBe(200);
    const third = await print(t.id, ts.kioskToken);
    expect(third.statusCode).toBe(429);
    expect(third.json().error.code).toBe('TOO_MANY_REQUESTS');
  });
});

describe('LUOT_KIOSK_PRINTER', () => {
  it('reads one printer for all kiosks, or a table by device id', () => {
    expect(parseKioskPrinters('tcp://192.168.1.50:9100').fallback).toEqual({ kind: 'tcp', host: '192.168.1.50', port: 9100 });
    const t = parseKioskPrinters('3=tcp://10.0.0.3, *=device:/dev/usb/lp0');
    expect(t.byDevice.get(3)).toEqual({ kind: 'tcp', host: '10.0.0.3', port: 9100 });
    expect(t.fallback).toEqual({ kind: 'device', path: '/dev/usb/lp0', readable: true });
    expect(() => parsePrinterTarget('http://printer')).toThrow();
    expect(() => parseKioskPrinters('kiosk=tcp://x')).toThrow();
  });
});
