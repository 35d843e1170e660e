import type pg from 'pg';
import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProvinceServer, type ProvinceServer } from '../src/server.js';
import { daysFrom, registerCenter, ship, simulateCenter, type SimCenter } from './dashboard-fixtures.js';
import { startPostgres, type TestPostgres } from './helpers/postgres.js';

/**
 * The dashboard over real HTTP on a real province service and PostgreSQL: sign-in, what is
 * refused, security headers, the JSON API against the figures module, exports read back, and
 * names typed by people kept inert (HTML and CSV). The pages in Chromium: e2e/dashboard.test.ts.
 */
const ADMIN = 'province-admin-token-0123456789-abcdefgh';
const DAYS = daysFrom('2026-04-06', 5);
let pgs: TestPostgres;
let pool: pg.Pool;
let province: ProvinceServer;
let url: string;
let cookie = '';
const centers: SimCenter[] = [];
// The province clock: the last simulated day, noon in Vietnam.
const NOW = Date.parse(`${DAYS.at(-1)}T12:00:00+07:00`);

beforeAll(async () => {
  pgs = await startPostgres();
  pool = await pgs.freshDatabase();
  province = await createProvinceServer({ pool, adminToken: ADMIN, now: () => NOW });
  url = await province.listen(0);
  const names = ['Phường Đông Kinh', '<script>alert(1)</script>', '=HYPERLINK("http://x","y")'];
  for (let i = 0; i < names.length; i++) {
    const c = await registerCenter(province.app, ADMIN, `ls-${i + 1}`, names[i]!);
    centers.push(c);
    await ship(province.app, c, simulateCenter(7 + i, DAYS, i === 2 ? 8 : 70, DAYS.at(-1)));
  }
  cookie = await signIn();
});
afterAll(async () => {
  await province?.close();
  await pgs?.stop();
});

async function signIn(): Promise<string> {
  const res = await form('/sign-in', { token: ADMIN, next: '/' });
  return res.headers.get('set-cookie')!.split(';')[0]!;
}
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${url}${path}`, { headers, redirect: 'manual' });
const form = (path: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, { method: 'POST', body: new URLSearchParams(body), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, redirect: 'manual' });

describe('dashboard sign-in', () => {
  it('a page without a session sends the browser to sign in, and the API answers 401', async () => {
    const res = await get('/report?preset=7d');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/sign-in?next=%2Freport%3Fpreset%3D7d');
    const api = await get('/api/v1/dashboard/now');
    expect(api.status).toBe(401);
    expect(((await api.json()) as any).error).toMatchObject({ code: 'UNAUTHORIZED', messageVi: expect.any(String) });
  });

  it('a wrong token is refused; the right one opens a session cookie (HttpOnly, SameSite=Strict)', async () => {
    const wrong = await form('/sign-in', { token: 'x'.repeat(40), next: '/' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Mã quản trị không đúng.');
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const ok = await form('/sign-in', { token: ADMIN, next: '/report?preset=7d' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/report?preset=7d');
    const set = ok.headers.get('set-cookie')!;
    expect(set).toMatch(/^luot_province_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    const page = await get('/report?preset=7d', { cookie: set.split(';')[0]! });
    expect(page.status).toBe(200);
  });

  it('never redirects to another site after sign-in', async () => {
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      const res = await form('/sign-in', { token: ADMIN, next });
      expect(res.headers.get('location')).toBe('/');
    }
  });

  it('a form posted from another site is refused and changes nothing', async () => {
    const before = (await pool.query('SELECT count(*)::int AS n FROM centers')).rows[0].n;
    const res = await form('/centers', { code: 'evil', name: 'Evil' }, { cookie, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(res.status).toBe(403);
    expect((await pool.query('SELECT count(*)::int AS n FROM centers')).rows[0].n).toBe(before);
  });

  it('signing out ends the session', async () => {
    const mine = await signIn();
    expect((await get('/', { cookie: mine })).status).toBe(200);
    const out = await form('/sign-out', {}, { cookie: mine });
    expect(out.status).toBe(303);
    expect((await get('/', { cookie: mine })).status).toBe(303);
  });
});

describe('dashboard pages', () => {
  it('carry a strict Content-Security-Policy (no script at all) and are not cached', async () => {
    for (const path of ['/', '/report?preset=7d', `/centers/${centers[0]!.id}`, '/centers', '/sign-in']) {
      const res = await get(path, path === '/sign-in' ? {} : { cookie });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const body = await res.text();
      expect(body).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
    }
  });

  it('escape names typed by people', async () => {
    const body = await (await get(`/report?from=${DAYS[0]}&to=${DAYS.at(-1)}`, { cookie })).text();
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(body).not.toContain('<script>alert(1)');
  });

  it('a bad range is a clear error, in Vietnamese and English', async () => {
    const res = await get('/report?from=2026-05-10&to=2026-05-01', { cookie });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('“Từ ngày” phải trước hoặc bằng “Đến ngày”.'.replace(/[“”]/g, '&quot;'));
    const api = await get('/api/v1/dashboard/report?from=2026-02-30&to=2026-03-01', { cookie });
    expect(api.status).toBe(400);
    expect(((await api.json()) as any).error.code).toBe('INVALID_INPUT');
  });

  it('an unknown center is 404', async () => {
    expect((await get('/centers/9999', { cookie })).status).toBe(404);
  });
});

describe('dashboard JSON API', () => {
  it('report: the figures module\'s figures for the range, with a ranking; Bearer works too', async () => {
    const q = `from=${DAYS[0]}&to=${DAYS.at(-1)}`;
    const res = await get(`/api/v1/dashboard/report?${q}`, { authorization: `Bearer ${ADMIN}` });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.centers).toEqual(await province.ctx.figures.report({ from: DAYS[0]!, to: DAYS.at(-1)! }));
    expect(body.ranking.map((e: any) => e.code).sort()).toEqual(['ls-1', 'ls-2', 'ls-3']);
    // The small center (8 tickets a day) has too few ratings to be ranked.
    const small = body.ranking.find((e: any) => e.code === 'ls-3');
    expect(small).toMatchObject({ rank: null, flags: expect.arrayContaining(['few-ratings']) });
    expect(body.ranking.at(-1).code).toBe('ls-3');
    expect(body.ranking[0].rank).toBe(1);
  });

  it('today by default, and a preset', async () => {
    const today = (await (await get('/api/v1/dashboard/report', { cookie })).json()) as any;
    expect([today.from, today.to, today.preset]).toEqual([DAYS.at(-1), DAYS.at(-1), 'today']);
    const week = (await (await get('/api/v1/dashboard/report?preset=7d', { cookie })).json()) as any;
    const sixDaysBefore = new Date(Date.parse(`${DAYS.at(-1)}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
    expect([week.from, week.to, week.preset]).toEqual([sixDaysBefore, DAYS.at(-1), '7d']);
  });

  it('now: every center with its freshness', async () => {
    const body = (await (await get('/api/v1/dashboard/now', { cookie })).json()) as any;
    expect(body.centers.map((c: any) => c.code)).toEqual(['ls-1', 'ls-2', 'ls-3']);
    for (const c of body.centers) expect(c).toMatchObject({ heard: true, freshness: 'ok', behindEvents: 0 });
  });
});

describe('managing centers from the dashboard', () => {
  const keyOf = (page: string) => /<p class="key" data-testid="key">([A-Za-z0-9_-]{43})<\/p>/.exec(page)?.[1];
  const state = (key: string) => fetch(`${url}/api/v1/ingest/state`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);

  it('registers a center and shows its key once; the key works for ingest', async () => {
    const res = await form('/centers', { code: 'xa-moi', name: 'Xã Mới' }, { cookie, 'sec-fetch-site': 'same-origin' });
    expect(res.status).toBe(201);
    const page = await res.text();
    const key = keyOf(page)!;
    expect(page).toContain(`LUOT_PROVINCE_URL=${url}`);
    expect(await state(key)).toBe(200);
    // The list never shows a key again.
    const list = await (await get('/centers', { cookie })).text();
    expect(list).toContain('xa-moi');
    expect(list).not.toContain(key);
    const again = await form('/centers', { code: 'xa-moi', name: 'Xã Mới' }, { cookie, 'sec-fetch-site': 'same-origin' });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Đã có trung tâm với mã này.');
  });

  it('a new key replaces the old one; revoking stops it', async () => {
    const id = (await pool.query("SELECT id FROM centers WHERE code = 'xa-moi'")).rows[0].id;
    const first = keyOf(await (await form(`/centers/${id}/key`, {}, { cookie, 'sec-fetch-site': 'same-origin' })).text())!;
    expect(await state(first)).toBe(200);
    const second = keyOf(await (await form(`/centers/${id}/key`, {}, { cookie, 'sec-fetch-site': 'same-origin' })).text())!;
    expect(await state(first)).toBe(401);
    expect(await state(second)).toBe(200);
    const revoked = await form(`/centers/${id}/revoke`, {}, { cookie, 'sec-fetch-site': 'same-origin' });
    expect(await revoked.text()).toContain('Đã thu hồi khóa');
    expect(await state(second)).toBe(401);
  });

  it('refuses a bad code with a clear message', async () => {
    const res = await form('/centers', { code: 'có dấu', name: 'X' }, { cookie, 'sec-fetch-site': 'same-origin' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Mã: chữ không dấu');
  });
});

describe('dashboard exports', () => {
  const q = () => `from=${DAYS[0]}&to=${DAYS.at(-1)}`;

  it('CSV: the same figures, ";" and decimal commas, formulas inert', async () => {
    const res = await get(`/export.csv?${q()}`, { cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="luot-tinh-${DAYS[0]}-${DAYS.at(-1)}.csv"`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM: Excel reads the accents right
    const text = new TextDecoder().decode(bytes);
    const lines = text.split('\r\n');
    const figures = await province.ctx.figures.report({ from: DAYS[0]!, to: DAYS.at(-1)! });
    const head = lines.findIndex((l) => l.startsWith('Mã / Code;Trung tâm / Center;Lĩnh vực / Service'));
    expect(head).toBeGreaterThan(0);
    for (const c of figures) {
      const row = lines.find((l) => l.startsWith(`${c.code};`) && l.includes('Toàn trung tâm'))!.split(';');
      const n = (s: string) => (s === '' ? null : Number(s.replace(',', '.')));
      expect(n(row[3]!)).toBe(c.totals.issued);
      expect(n(row[5]!)).toBe(c.totals.served);
      expect(n(row[10]!)).toBe(c.totals.wait.median);
      expect(n(row[11]!)).toBe(c.totals.wait.p90);
      expect(n(row[17]!)).toBe(c.totals.satisfaction.percent);
    }
    expect(text).toContain(`;"'=HYPERLINK(""http://x"",""y"")";`);
    expect(text).not.toMatch(/;=HYPERLINK/);
  });

  it('Excel: ranking, per center and service, notes; read back equal to the API', async () => {
    const res = await get(`/export.xlsx?${q()}`, { cookie });
    expect(res.status).toBe(200);
    const buf = Buffer.from(await res.arrayBuffer());
    const sheets = await readXlsxFile(buf);
    expect(sheets.map((s: any) => s.sheet)).toEqual(['Xếp hạng', 'Theo trung tâm', 'Ghi chú']);
    const byCenter = sheets[1]!.data as unknown[][];
    const api = (await (await get(`/api/v1/dashboard/report?${q()}`, { cookie })).json()) as any;
    for (const c of api.centers) {
      const row = byCenter.find((r) => r[0] === c.code && String(r[2]).startsWith('Toàn trung tâm'))!;
      expect(row.slice(3)).toEqual([
        c.totals.issued, c.totals.priority, c.totals.served, c.totals.noShow, c.totals.cancelled, c.totals.open,
        c.totals.wait.avg, c.totals.wait.median, c.totals.wait.p90, null, c.totals.withinTarget.percent,
        c.totals.satisfaction.answers, c.totals.satisfaction.satisfied, c.totals.satisfaction.dissatisfied, c.totals.satisfaction.percent,
      ]);
      for (const s of c.byService) {
        const srow = byCenter.find((r) => r[0] === c.code && r[2] === s.name.vi)!;
        expect(srow[3]).toBe(s.issued);
        expect(srow[12]).toBe(s.targetWaitMinutes);
      }
    }
    const rankSheet = sheets[0]!.data as unknown[][];
    expect(rankSheet.slice(1).map((r) => r[1])).toEqual(api.ranking.map((e: any) => e.code));
  });

  it('a center\'s export adds its days', async () => {
    const c = centers[0]!;
    const res = await get(`/export.xlsx?${q()}&center=${c.id}`, { cookie });
    expect(res.headers.get('content-disposition')).toContain(`luot-tinh-${c.code}-`);
    const sheets = await readXlsxFile(Buffer.from(await res.arrayBuffer()));
    expect(sheets.map((s: any) => s.sheet)).toEqual(['Xếp hạng', 'Theo trung tâm', 'Theo ngày', 'Ghi chú']);
    const days = (sheets[2]!.data as unknown[][]).slice(1).map((r) => r[0]);
    expect(days).toEqual(DAYS);
  });

  it('is refused without a session', async () => {
    expect((await get(`/export.csv?${q()}`)).status).toBe(303);
  });
});
