import { readFileSync } from 'node:fs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../server/src/clock.js';
import { dayOf } from '../src/dashboard/format.js';
import { batchOf, simulateCenter, type SimCenter } from '../test/dashboard-fixtures.js';
import { prng, simulate, startCenter, type TestCenter } from '../test/helpers/center.js';
import { expectSameFigures } from '../test/helpers/compare.js';
import { startPostgres, type TestPostgres } from '../test/helpers/postgres.js';
import { ADMIN_TOKEN, startProvince, type TestProvince } from '../test/helpers/province.js';
import { launchBrowser, pageNumber, tableCells } from './browser.js';

/**
 * The province dashboard in Chromium, against the real province service on a real PostgreSQL,
 * fed by two real center servers through their real shippers: what the page shows equals the
 * dashboard's JSON API, which equals the figures module and each center's own report; the
 * exports downloaded by the browser read back to the same numbers; the centers-now page marks a
 * center catching up, one silent for hours and one never heard from.
 */
const SHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
async function shot(page: Page, name: string) {
  const png = await page.screenshot({ fullPage: true });
  if (process.env.LUOT_SCREENSHOTS === '1') {
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(`${SHOTS}${name}.png`, png);
  }
}

let pgs: TestPostgres;
let p: TestProvince;
let a: TestCenter;
let b: TestCenter;
let browser: Browser;
let page: Page;
// The province's today (Vietnam); the centers' clocks start that morning.
const today = dayOf(Date.now());
const clockA = manualClock(Date.parse(`${today}T07:30:00+07:00`));
const clockB = manualClock(Date.parse(`${today}T07:40:00+07:00`));
let behind: SimCenter;

const api = async (path: string) => {
  const res = await fetch(`${p.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as any;
};

beforeAll(async () => {
  pgs = await startPostgres();
  p = await startProvince(pgs);
  a = await startCenter({ province: p, clock: clockA, code: 'phuong-a' });
  b = await startCenter({ province: p, clock: clockB, code: 'xa-b' });
  for (const c of [a, b]) {
    await c.s.api('PATCH', '/admin/services/1', { token: c.s.adminToken, body: { targetWaitMinutes: 10 } });
    await c.s.api('PATCH', '/admin/services/3', { token: c.s.adminToken, body: { targetWaitMinutes: 20 } });
  }
  await simulate(a, { steps: 80, rng: prng(3), advance: (ms) => clockA.advance(ms) });
  await simulate(b, { steps: 30, rng: prng(4), advance: (ms) => clockB.advance(ms) });
  await a.caughtUp();
  await b.caughtUp();

  // A center sending back a day offline: its first batch says it holds 1,200 more events.
  const reg = await p.register('xa-bu', 'Xã đang gửi bù');
  behind = { id: reg.id, code: 'xa-bu', key: reg.key, centerUid: crypto.randomUUID(), epoch: 1 };
  const events = simulateCenter(5, [today], 20).slice(0, 40);
  const r = await p.api('POST', '/api/v1/ingest', { token: behind.key, body: batchOf(behind, events, 500, events.at(-1)!.seq + 1200) });
  expect(r.status).toBe(200);
  // A center silent for three hours: it shipped, and the province's receive times are set back
  // (three hours cannot pass in a test; the page judges them by the province's clock).
  const silent = await p.register('xa-im', 'Xã mất liên lạc');
  const quiet: SimCenter = { id: silent.id, code: 'xa-im', key: silent.key, centerUid: crypto.randomUUID(), epoch: 1 };
  const qe = simulateCenter(6, [today], 10).slice(0, 20);
  expect((await p.api('POST', '/api/v1/ingest', { token: quiet.key, body: batchOf(quiet, qe) })).status).toBe(200);
  await p.pool.query("UPDATE center_now SET received_at = now() - interval '3 hours' WHERE center_id = $1", [silent.id]);
  await p.pool.query("UPDATE center_streams SET updated_at = now() - interval '3 hours' WHERE center_id = $1", [silent.id]);
  // Registered, never heard from.
  await p.register('xa-moi', 'Xã mới đăng ký');

  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'vi-VN', acceptDownloads: true })).newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await a?.close();
  await b?.close();
  await p?.stop();
  await pgs?.stop();
});

describe('province dashboard in Chromium', () => {
  it('sends a signed-out browser to sign in, and back where it was going', async () => {
    await page.goto(`${p.url}/report`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.fill('input[name=token]', 'not-the-token-000000000000000000000000');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=error]');
    expect(await page.textContent('[data-testid=error]')).toContain('Mã quản trị không đúng.');
    await shot(page, 'province-sign-in');
    await page.fill('input[name=token]', ADMIN_TOKEN);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=ranking]');
    expect(new URL(page.url()).pathname).toBe('/report');
  });

  it('report for a range: every figure on the page equals the API, which equals each center\'s own report', async () => {
    await page.fill('input[name=from]', today);
    await page.fill('input[name=to]', today);
    await page.click('form.range button[type=submit]');
    await page.waitForSelector(`[data-testid=range][data-from="${today}"][data-to="${today}"]`);
    const body = await api(`/api/v1/dashboard/report?from=${today}&to=${today}`);
    // The API's figures are the figures module's, and those are each center's own report.
    expect(body.centers).toEqual(await p.server.ctx.figures.report({ from: today, to: today }));
    await expectSameFigures(a, p, today, today);
    await expectSameFigures(b, p, today, today);

    // Show the services too, then read the whole table.
    await page.click('[data-testid=toggle-services]');
    await page.waitForSelector('tr.service');
    await shot(page, 'province-report');
    const rows = await page.$$eval('[data-testid=by-center] tbody tr', (trs) =>
      trs.map((tr) => ({
        center: tr.getAttribute('data-center'),
        service: tr.getAttribute('data-service'),
        cells: Object.fromEntries([...tr.querySelectorAll('td[data-col]')].map((td) => [td.getAttribute('data-col'), (td.textContent ?? '').trim()])),
      })),
    );
    const want = (r: any) => ({
      issued: r.issued,
      served: r.served,
      noShow: r.noShow,
      cancelled: r.cancelled,
      waitMedian: r.wait.median,
      waitP90: r.wait.p90,
      withinTarget: r.withinTarget?.percent ?? null,
      answers: r.satisfaction.answers,
      satisfied: r.satisfaction.percent,
    });
    const shown = (cells: Record<string, string>) => Object.fromEntries(Object.entries(cells).map(([k, v]) => [k, pageNumber(v)]));
    const expected = body.centers.flatMap((c: any) => [
      { center: c.code, service: '', cells: want(c.totals) },
      ...c.byService.map((s: any) => ({ center: c.code, service: s.code, cells: want(s) })),
    ]);
    expect(rows.map((r) => ({ ...r, cells: shown(r.cells) }))).toEqual(expected);
    // Not vacuous: the real centers served, waited and rated.
    const ca = body.centers.find((c: any) => c.code === 'phuong-a');
    expect(ca.totals.served).toBeGreaterThan(10);
    expect(ca.totals.wait.p90).toBeGreaterThan(0);
    expect(ca.totals.satisfaction.answers).toBeGreaterThan(5);
  });

  it('ranking: the API\'s order, ranks and flags', async () => {
    const body = await api(`/api/v1/dashboard/report?from=${today}&to=${today}`);
    const shown = await tableCells(page, '[data-testid=ranking] tbody tr', 'data-center');
    expect(Object.keys(shown)).toEqual(body.ranking.map((e: any) => e.code));
    for (const e of body.ranking) {
      expect(pageNumber(shown[e.code]!.rank!)).toBe(e.rank);
      expect(pageNumber(shown[e.code]!.satisfied!)).toBe(e.satisfiedPercent);
      expect(pageNumber(shown[e.code]!.answers!)).toBe(e.answers);
    }
    // The busiest center has enough ratings to be ranked; the others are listed after it, flagged.
    expect(body.ranking[0]).toMatchObject({ code: 'phuong-a', rank: 1 });
    expect(body.ranking[0].answers).toBeGreaterThanOrEqual(30);
    const flagged = await page.$$eval('[data-testid=ranking] tr:has([data-flag=few-ratings])', (trs) => trs.map((t) => t.getAttribute('data-center')));
    expect(flagged.sort()).toEqual(body.ranking.filter((e: any) => e.flags.includes('few-ratings')).map((e: any) => e.code).sort());
  });

  it('Excel and CSV downloaded by the browser read back to the API\'s figures', async () => {
    const body = await api(`/api/v1/dashboard/report?from=${today}&to=${today}`);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-xlsx]')]);
    expect(xlsx.suggestedFilename()).toBe(`luot-tinh-${today}-${today}.xlsx`);
    const sheets = await readXlsxFile(readFileSync((await xlsx.path())!));
    const byCenter = sheets.find((s: any) => s.sheet === 'Theo trung tâm')!.data as unknown[][];
    for (const c of body.centers) {
      const row = byCenter.find((r) => r[0] === c.code && String(r[2]).startsWith('Toàn trung tâm'))!;
      expect([row[3], row[5], row[6], row[10], row[11], row[14], row[17]]).toEqual([
        c.totals.issued, c.totals.served, c.totals.noShow, c.totals.wait.median, c.totals.wait.p90, c.totals.satisfaction.answers, c.totals.satisfaction.percent,
      ]);
    }
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-csv]')]);
    const lines = readFileSync((await csv.path())!, 'utf8').replace(/^\uFEFF/, '').split('\r\n');
    for (const c of body.centers) {
      const row = lines.find((l) => l.startsWith(`${c.code};`) && l.includes('Toàn trung tâm'))!.split(';');
      expect([row[3], row[10], row[17]].map((v) => (v === '' ? null : Number(v!.replace(',', '.'))))).toEqual([c.totals.issued, c.totals.wait.median, c.totals.satisfaction.percent]);
    }
  });

  it('a center\'s drill-down: by service and by day as the API has them', async () => {
    await page.click(`[data-testid=ranking] tr[data-center="phuong-a"] a`);
    await page.waitForSelector('[data-testid=center-services]');
    expect(await page.getAttribute('[data-testid=center-name]', 'data-center')).toBe('phuong-a');
    await shot(page, 'province-center');
    const d = await api(`/api/v1/dashboard/centers/${a.centerId}?from=${today}&to=${today}`);
    const services = await tableCells(page, '[data-testid=center-services] tbody tr', 'data-service');
    for (const s of d.figures.byService) {
      expect(pageNumber(services[s.code]!.issued!)).toBe(s.issued);
      expect(pageNumber(services[s.code]!.waitP90!)).toBe(s.wait.p90);
      expect(pageNumber(services[s.code]!.withinTarget!)).toBe(s.withinTarget?.percent ?? null);
      expect(pageNumber(services[s.code]!.satisfied!)).toBe(s.satisfaction.percent);
    }
    expect(pageNumber(services['']!.issued!)).toBe(d.figures.totals.issued);
    const days = await tableCells(page, '[data-testid=center-days] tbody tr', 'data-day');
    expect(Object.keys(days)).toEqual(d.days.map((x: any) => x.day));
    expect(pageNumber(days[today]!.served!)).toBe(d.days[0].served);
    expect(await page.getAttribute('[data-testid=center-now]', 'data-freshness')).toBe('ok');
  });

  it('centers now: waiting and counters as each center last said; catching up, silent and never-heard centers marked', async () => {
    await page.goto(`${p.url}/`);
    await page.waitForSelector('[data-testid=centers-now]');
    await shot(page, 'province-now');
    const now = await api('/api/v1/dashboard/now');
    const rows = await page.$$eval('[data-testid=centers-now] tbody tr', (trs) => trs.map((t) => [t.getAttribute('data-center'), t.getAttribute('data-freshness')]));
    expect(rows).toEqual(now.centers.map((c: any) => [c.code, c.freshness]));
    expect(Object.fromEntries(rows)).toEqual({ 'phuong-a': 'ok', 'xa-b': 'ok', 'xa-bu': 'behind', 'xa-im': 'lost', 'xa-moi': 'never' });
    const cells = await tableCells(page, '[data-testid=centers-now] tbody tr', 'data-center');
    for (const c of now.centers) {
      expect(pageNumber(cells[c.code]!.waiting!)).toBe(c.waiting);
      expect(pageNumber(cells[c.code]!.openCounters!)).toBe(c.openCounters);
    }
    // What the real centers say of themselves, right now.
    const waitingA = (a.s.db.prepare("SELECT count(*) AS n FROM tickets WHERE status = 'waiting'").get() as { n: number }).n;
    expect(pageNumber(cells['phuong-a']!.waiting!)).toBe(waitingA);
    expect(pageNumber(cells['xa-bu']!.behindEvents!)).toBe(1200);
    expect(await page.textContent('[data-stat=attention] .value')).toBe('2');
    expect(await page.getAttribute('meta[http-equiv=refresh]', 'content')).toBe('30');
  });

  it('signing out closes the dashboard', async () => {
    await page.click('header form button[type=submit]');
    await page.waitForSelector('input[name=token]');
    await page.goto(`${p.url}/`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });
});
