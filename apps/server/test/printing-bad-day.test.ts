import { rmSync } from 'node:fs';
import { startFakePrinter, type FakePrinter } from '@luot/ticket-printer/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseKioskPrinters } from '../src/printing/kiosk-printers.js';
import { startTestServer, tempDataDir, type TestServer } from './helpers/test-server.js';

/**
 * Server printing on a bad day, through real HTTP, a real SQLite file and a fake printer on real
 * TCP. Paper and database must agree: a ticket reported unprinted (and so cancelled) never comes
 * out on paper afterwards, and a ticket whose paper came out is never cancelled as unprinted —
 * also when the server stopped while it was printing.
 */
let printer: FakePrinter;
let dataDir: string;
let ts: TestServer;

const start = () =>
  startTestServer({ dataDir, print: { printers: parseKioskPrinters(`tcp://${printer.host}:${printer.port}`), timeoutMs: 5000, rateLimiter: { take: () => true } } });

beforeEach(async () => {
  printer = await startFakePrinter();
  dataDir = tempDataDir();
  ts = await start();
});
afterEach(async () => {
  await ts.close({ keepData: true }).catch(() => undefined);
  await printer.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function issue(): Promise<{ id: string; number: string }> {
  const r = await ts.api('POST', '/tickets', { token: ts.kioskToken, body: { serviceId: 1 } });
  expect(r.status).toBe(201);
  return r.body;
}
const print = (id: string) => ts.api('POST', `/tickets/${id}/print`, { token: ts.kioskToken, body: {} });
const printFailed = (id: string) => ts.api('POST', `/tickets/${id}/print-failed`, { token: ts.kioskToken, body: { code: 'offline' } });
const statusOf = (id: string) => (ts.db.prepare('SELECT status FROM tickets WHERE id = ?').get(id) as { status: string }).status;
const untilQueries = async (n: number) => {
  while (printer.statusQueries.length < n) await new Promise((r) => setTimeout(r, 5));
};

describe('server printing on a bad day', () => {
  it('a ticket cancelled while its job waited in line behind another kiosk ticket never comes out on paper', async () => {
    const a = await issue();
    const b = await issue();
    const release = printer.holdAnswers();
    const printingA = print(a.id);
    await untilQueries(1); // A is at the printer, its status answers held
    const printingB = print(b.id); // B waits in line behind it
    // B's kiosk gave up waiting and reported it unprinted: the center cancels it.
    expect((await printFailed(b.id)).status).toBe(200);
    expect(statusOf(b.id)).toBe('cancelled');
    release();
    expect((await printingA).body).toMatchObject({ printed: true });
    const answerB = await printingB;
    expect(answerB.status).toBe(409);
    expect(answerB.body.error.code).toBe('TICKET_NOT_WAITING');
    // One paper: A's. B's connection sent its status queries and no ticket bytes.
    const jobs = await printer.waitForJobs(1);
    expect(jobs).toHaveLength(1);
    expect(printer.jobs).toHaveLength(1);
  });

  it("a kiosk's \"print failed\" while the server is still printing that ticket waits for the printer: confirmed, the ticket is kept", async () => {
    const t = await issue();
    // The check before the bytes is answered; the confirmation after them is held.
    const release = printer.holdAnswers({ afterQueries: 4 });
    const printing = print(t.id);
    await untilQueries(5); // the bytes went out and the printer is asked to confirm
    // The kiosk's answer was lost (or it stopped waiting): it reports the ticket unprinted.
    const failing = printFailed(t.id);
    // Nothing is decided while the printer has not answered.
    expect(statusOf(t.id)).toBe('waiting');
    release();
    expect((await printing).body).toMatchObject({ printed: true });
    const failed = await failing;
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ kept: true });
    expect(statusOf(t.id)).toBe('waiting');
    expect(await printer.waitForJobs(1)).toHaveLength(1);
  });

  it('a printed ticket is remembered across a restart: a late "print failed" keeps it, a repeated print is a duplicate', async () => {
    const t = await issue();
    expect((await print(t.id)).body).toMatchObject({ printed: true });
    await printer.waitForJobs(1);
    await ts.close({ keepData: true });
    ts = await start();

    const failed = await printFailed(t.id);
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ kept: true });
    expect(statusOf(t.id)).toBe('waiting');
    expect((await print(t.id)).body).toMatchObject({ printed: true, duplicate: true });
    expect(printer.jobs).toHaveLength(1);
  });

  it('a stop while a ticket prints lets it finish and remembers it, so the kiosk\'s report to the restarted server keeps it', async () => {
    const t = await issue();
    const release = printer.holdAnswers();
    const printing = print(t.id).catch(() => null); // the stop may cut this answer
    await untilQueries(1);
    const stopping = ts.close({ keepData: true });
    // The stop cuts the kiosk's request (2 s for requests in flight): the kiosk hears nothing.
    expect(await printing).toBeNull();
    // Only then does the printer get to the ticket; the stopping server waits for it.
    release();
    await stopping;
    expect(await printer.waitForJobs(1)).toHaveLength(1); // the paper came out

    ts = await start();
    const failed = await printFailed(t.id);
    expect(failed.body).toMatchObject({ kept: true });
    expect(statusOf(t.id)).toBe('waiting');
  });
});
