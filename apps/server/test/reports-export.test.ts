import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportXlsx } from '../src/reports/export.js';
import { manualClock, startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * A large Excel export is written in a worker thread (the request's thread stays free for the
 * kiosks and counters): it must be the same workbook as one written inline.
 */
const clock = manualClock(Date.parse('2026-11-23T16:00:00+07:00'));
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ clock });
  const officer = await s.login('canbo1');
  await s.api('POST', '/counters/1/open', { token: officer });
  for (let i = 0; i < 6; i++) {
    const t = await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: 1 } });
    await s.api('POST', '/counters/1/call', { token: officer, body: { ticketId: t.body.id } });
    await s.api('PUT', `/tickets/${t.body.id}/dossier-code`, { token: officer, body: { dossierCode: `H29-${i}` } });
    await s.api('POST', '/counters/1/complete', { token: officer });
    await s.api('POST', '/ratings/answer', { token: s.displayToken, body: { ticketId: t.body.id, scale: 3, level: i % 3 === 0 ? 'dissatisfied' : 'satisfied' } });
  }
});
afterAll(() => s.close());

describe('Excel export', () => {
  it('writes the same workbook in a worker thread as inline', async () => {
    const report = s.server.ctx.buildReport({ from: '2026-11-23', to: '2026-11-23' });
    const ratings = s.server.ctx.repos.ratings.listForDays('2026-11-23', '2026-11-23');
    expect(ratings).toHaveLength(6);
    const inline = await readXlsxFile(await reportXlsx(report, ratings));
    const worker = await readXlsxFile(await reportXlsx(report, ratings, 0));
    expect(worker).toEqual(inline);
    const sheet = worker.find((x: any) => x.sheet === 'Đánh giá')!.data as unknown[][];
    expect(sheet.slice(1).map((r) => r[10])).toEqual(['H29-0', 'H29-1', 'H29-2', 'H29-3', 'H29-4', 'H29-5']);
    expect(sheet.slice(1).map((r) => r[8])).toEqual(['Không', 'Có', 'Có', 'Không', 'Có', 'Có']);
  });
});
