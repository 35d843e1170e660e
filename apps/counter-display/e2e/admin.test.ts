import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../../server/test/helpers/test-server.js';
import { launchBrowser, openCounter, screenshot, textOf, waitForText } from './browser.js';

/**
 * /admin against the real server (built UI, real socket.io, real SQLite): a configuration change
 * reaching the kiosk and the counter live, the dashboard's amber and red and a device alert, the
 * reports with their CSV and Excel files opened and read back, and the forms' errors.
 */
let srv: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let admin: Page;
let counter: Page;
const services: Record<string, number> = {};
let officerToken: string;

/** read-excel-file is a devDependency of apps/server (it checks the server's own export). */
async function readXlsx(path: string): Promise<{ sheet: string; data: unknown[][] }[]> {
  const req = createRequire(new URL('../../server/package.json', import.meta.url));
  const mod = (await import(pathToFileURL(req.resolve('read-excel-file/node')).href)) as { default: (input: Buffer) => Promise<{ sheet: string; data: unknown[][] }[]> };
  return mod.default(readFileSync(path));
}

/** RFC 4180: quoted cells may hold commas, quotes ("") and line breaks. */
// The export is Excel's Vietnamese CSV: ';' between fields, ',' as the decimal mark.
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

async function newPage(viewport = { width: 1366, height: 900 }): Promise<Page> {
  const ctx = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  // Fail on the step that is stuck, well inside the test's own timeout.
  page.setDefaultTimeout(10_000);
  return page;
}

async function issue(code: string): Promise<{ id: string; number: string; issuedAt: string }> {
  const r = await srv.api('POST', '/tickets', { token: srv.kioskToken, body: { serviceId: services[code] } });
  expect(r.status).toBe(201);
  return r.body;
}

async function tab(page: Page, id: string): Promise<void> {
  await page.click(`a[data-tab=${id}]`);
  await page.waitForSelector(`[data-testid=admin][data-tab=${id}]`);
}

beforeAll(async () => {
  [srv, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  const list = await srv.api('GET', '/services');
  for (const s of list.body as { id: number; code: string }[]) services[s.code] = s.id;
  officerToken = await srv.login('canbo1');
  [admin, counter] = await Promise.all([newPage(), newPage({ width: 1280, height: 900 })]);
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await srv?.close();
});

describe('/admin', () => {
  it('refuses an officer, and signs the admin in to the live dashboard', async () => {
    await admin.goto(`${srv.url}/admin`);
    expect(await admin.title()).toBe('Quản trị · Admin');
    await admin.fill('input[name=username]', 'canbo1');
    await admin.fill('input[name=password]', 'demo');
    await admin.click('button[type=submit]');
    await admin.waitForSelector('[data-testid=error][data-code=FORBIDDEN]');
    expect(await textOf(admin, '[data-testid=error]')).toContain('không có quyền quản trị');
    await admin.fill('input[name=username]', 'admin');
    await admin.fill('input[name=password]', ADMIN_PASSWORD);
    await screenshot(admin, 'admin-login');
    await admin.click('button[type=submit]');
    await admin.waitForSelector('[data-testid=dashboard]:not([data-seq=""])');
    await admin.waitForSelector('[data-testid=dash-service-land]');
  });

  it('renames a service: the kiosk button and the counter page change without a reload', async () => {
    const kiosk = await newPage({ width: 1080, height: 1200 });
    await kiosk.goto(`${srv.url}/kiosk#token=${srv.kioskToken}`);
    await openCounter(counter, srv.url, 'canbo1', 1);
    await kiosk.waitForSelector('button.service[data-service=land]', { timeout: 8000 });
    const kioskName = 'button.service[data-service=land] .service-name .bi-main';
    const counterName = '.service-counts li[data-service=land] .vi';
    expect(await textOf(kiosk, kioskName)).toBe('Đất đai');

    await tab(admin, 'services');
    await admin.click('[data-testid=service-edit-land]');
    // A bad prefix is refused in the form, before any request.
    await admin.fill('[data-testid=service-form] input[name=prefix]', 'ab-1');
    await admin.click('[data-testid=service-save]');
    await admin.waitForSelector('[data-testid=service-form] [data-testid=error][data-code=INVALID_INPUT]');
    expect(await textOf(admin, '[data-testid=service-form] [data-testid=error]')).toContain('prefix');
    // Said by the field's label, Vietnamese then English; the code apart, for IT staff.
    expect(await textOf(admin, '[data-testid=service-form] [data-testid=error] strong')).toBe('Vui lòng sửa — Ký hiệu số phiếu: tối đa 3 chữ cái in hoa hoặc chữ số');
    expect(await textOf(admin, '[data-testid=service-form] [data-testid=error] .en')).toBe('Please correct — Ticket prefix: up to 3 capital letters or digits');
    expect(await textOf(admin, '[data-testid=service-form] [data-testid=error-code]')).toBe('Mã lỗi / Error code: INVALID_INPUT');
    // A number out of range: no schema text ("Too big: expected number…") on either line.
    await admin.fill('[data-testid=service-form] input[name=prefix]', '1');
    const width = await admin.inputValue('[data-testid=service-form] input[name=numberWidth]');
    await admin.fill('[data-testid=service-form] input[name=numberWidth]', '6');
    await admin.click('[data-testid=service-save]');
    await admin.waitForFunction(() => document.querySelector('[data-testid=service-form] [data-testid=error] strong')?.textContent?.includes('Số chữ số'));
    expect(await textOf(admin, '[data-testid=service-form] [data-testid=error] strong')).toBe('Vui lòng sửa — Số chữ số: tối đa 5');
    expect(await textOf(admin, '[data-testid=service-form] [data-testid=error] .en')).toBe('Please correct — Digits in the number: at most 5');
    await admin.fill('[data-testid=service-form] input[name=numberWidth]', width);
    await admin.fill('[data-testid=service-form] input[name=prefix]', '1');
    await admin.fill('[data-testid=service-form] input[name=nameVi]', 'Đất đai – Nhà ở');
    await admin.fill('[data-testid=service-form] input[name=nameEn]', 'Land and housing');
    await screenshot(admin, 'admin-services');
    await admin.click('[data-testid=service-save]');
    await admin.waitForSelector('[data-testid=service-form]', { state: 'detached', timeout: 5000 });
    await admin.waitForFunction(() => document.querySelector('[data-testid=service-row-land] .vi')?.textContent === 'Đất đai – Nhà ở');

    await waitForText(kiosk, kioskName, 'Đất đai – Nhà ở');
    await waitForText(counter, counterName, 'Đất đai – Nhà ở');
    expect(await textOf(counter, '.service-counts li[data-service=land] .en')).toBe('Land and housing');
    await screenshot(kiosk, 'admin-live-kiosk');
    await kiosk.context().close();
  });

  it('dashboard: a service past 75 % of its target turns amber, past it red; a kiosk alert shows', async () => {
    expect((await srv.api('PATCH', `/admin/services/${services.land}`, { token: srv.adminToken, body: { targetWaitMinutes: 1 } })).status).toBe(200);
    const land = await issue('land');
    const civil = await issue('civil-status');
    // Counter 1 (open on the counter page) serves the civil-status ticket; land keeps waiting.
    expect((await srv.api('POST', '/counters/1/call', { token: officerToken, body: { ticketId: civil.id } })).status).toBe(200);

    await tab(admin, 'dashboard');
    const row = '[data-testid=dash-service-land]';
    await waitForText(admin, `${row} [data-testid=dash-waiting]`, '1');
    await waitForText(admin, '[data-testid=dash-counter-1] [data-testid=dash-current] .ticket-num', civil.number);
    expect(await admin.getAttribute(row, 'data-level')).toBe('ok');
    // The browser's clock moves on (the server's stays real): 50 s of a 60 s target is amber.
    const issuedAt = Date.parse(land.issuedAt);
    await admin.clock.setFixedTime(issuedAt + 50_000);
    await admin.waitForSelector(`${row}[data-level=amber]`);
    expect(await textOf(admin, `${row} [data-testid=dash-longest]`)).toContain('0:50');
    await admin.clock.setFixedTime(issuedAt + 70_000);
    await admin.waitForSelector(`${row}[data-level=red]`);

    // The kiosk's printer runs out of paper: the admin sees it at once.
    const alert = { code: 'printer.paper-out', message: 'Printer out of paper', messageVi: 'Máy in hết giấy', active: true };
    expect((await srv.api('POST', '/alerts', { token: srv.kioskToken, body: alert })).status).toBe(200);
    await admin.waitForSelector('[data-testid=alert][data-code="printer.paper-out"]');
    expect(await textOf(admin, '[data-testid=alert]')).toContain('Máy in hết giấy');
    await screenshot(admin, 'admin-dashboard');
    // Refilled: the alert goes away.
    expect((await srv.api('POST', '/alerts', { token: srv.kioskToken, body: { ...alert, active: false } })).status).toBe(200);
    await admin.waitForSelector('[data-testid=no-alerts]');
    // An alert raised before the page loads is read at load (GET /alerts).
    expect((await srv.api('POST', '/alerts', { token: srv.kioskToken, body: alert })).status).toBe(200);
    await admin.reload();
    await admin.waitForSelector('[data-testid=alert][data-code="printer.paper-out"]');
  });

  it('reports: tables, charts, and the CSV and Excel files read back', async () => {
    expect((await srv.api('POST', '/counters/1/complete', { token: officerToken })).status).toBe(200);
    await tab(admin, 'reports');
    const total = '[data-testid=report-by-service] tfoot tr[data-row=total]';
    await admin.waitForSelector(total);
    // This morning: 2 issued (land waiting, civil status served), 1 served.
    expect(await textOf(admin, `${total} [data-col=issued]`)).toBe('2');
    expect(await textOf(admin, `${total} [data-col=served]`)).toBe('1');
    expect(await textOf(admin, '[data-testid=report-by-service] tr[data-row=civil-status] [data-col=served]')).toBe('1');
    expect(await textOf(admin, '[data-testid=report-by-counter] tr[data-row="1"] [data-col=served]')).toBe('1');
    expect(await textOf(admin, '[data-testid=report-by-officer] tr[data-row=canbo1] [data-col=served]')).toBe('1');
    await admin.waitForSelector('canvas[data-testid=chart-arrivals]');
    await screenshot(admin, 'admin-reports');
    await admin.$eval('[data-testid=report-by-service]', (el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(admin, 'admin-reports-tables');

    const [csvDl] = await Promise.all([admin.waitForEvent('download'), admin.click('[data-testid=download-csv]')]);
    expect(csvDl.suggestedFilename()).toMatch(/^luot-bao-cao-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = parseCsv(readFileSync((await csvDl.path())!, 'utf8').replace(/^\uFEFF/, ''));
    expect(csv[0]?.[2]).toBe('Số phiếu / Tickets');
    expect(csv[1]?.slice(2, 4)).toEqual(['2', '1']);
    expect(csv.find((r) => r[1] === 'Đất đai – Nhà ở')?.[2]).toBe('1');

    const [xlsxDl] = await Promise.all([admin.waitForEvent('download'), admin.click('[data-testid=download-xlsx]')]);
    expect(xlsxDl.suggestedFilename()).toMatch(/\.xlsx$/);
    const sheets = await readXlsx((await xlsxDl.path())!);
    const summary = sheets.find((s) => s.sheet === 'Tổng hợp')!.data;
    expect(summary[0]?.[2]).toBe('Số phiếu / Tickets');
    expect(summary[1]?.slice(2, 4)).toEqual([2, 1]);
    expect(summary.find((r) => r[1] === 'canbo1')?.[3]).toBe(1);

    // A week and a month contain today too.
    await admin.click('.kinds button[data-kind=week]');
    await admin.waitForFunction(() => document.querySelector('[data-testid=reports]')?.getAttribute('data-from') !== document.querySelector('[data-testid=reports]')?.getAttribute('data-to'));
    expect(await textOf(admin, `${total} [data-col=issued]`)).toBe('2');
  });

  it('officers: create one, a taken name shows the server error, reset password, disable', async () => {
    await tab(admin, 'users');
    await admin.fill('[data-testid=user-form] input[name=username]', 'canbo9');
    await admin.fill('[data-testid=user-form] input[name=password]', 'abc');
    await admin.click('[data-testid=user-create]');
    await admin.waitForSelector('[data-testid=user-form] [data-testid=error][data-code=INVALID_INPUT]');
    await admin.fill('[data-testid=user-form] input[name=password]', 'mat-khau-9');
    await admin.click('[data-testid=user-create]');
    await admin.waitForSelector('[data-testid=user-row-canbo9]');
    await admin.fill('[data-testid=user-form] input[name=username]', 'canbo9');
    await admin.fill('[data-testid=user-form] input[name=password]', 'mat-khau-9');
    await admin.click('[data-testid=user-create]');
    await admin.waitForSelector('[data-testid=user-form] [data-testid=error][data-code=USERNAME_TAKEN]');
    expect(await textOf(admin, '[data-testid=user-form] [data-testid=error]')).toContain('Tên đăng nhập đã có người dùng');
    expect(await srv.login('canbo9', 'mat-khau-9')).toBeTruthy();

    await admin.click('[data-testid=user-reset-canbo9]');
    await admin.fill('[data-testid=user-row-canbo9] input[name=newPassword]', 'moi-1234');
    await admin.press('[data-testid=user-row-canbo9] input[name=newPassword]', 'Enter');
    await admin.waitForSelector('[data-testid=user-row-canbo9] input[name=newPassword]', { state: 'detached' });
    expect(await srv.login('canbo9', 'moi-1234')).toBeTruthy();

    await admin.click('[data-testid=user-toggle-canbo9]');
    await admin.waitForSelector('[data-testid=user-row-canbo9].inactive');
    expect((await srv.api('POST', '/auth/login', { body: { username: 'canbo9', password: 'moi-1234' } })).status).not.toBe(200);
    await screenshot(admin, 'admin-users');
  });

  it('devices: registers a kiosk and shows its pairing link once; revokes it', async () => {
    await tab(admin, 'devices');
    await admin.fill('[data-testid=device-form] input[name=deviceName]', 'Kiosk tầng 2');
    await admin.click('[data-testid=device-register]');
    await admin.waitForSelector('[data-testid=device-created]');
    const link = await admin.inputValue('[data-testid=pairing-link]');
    expect(link).toMatch(new RegExp(`^${srv.url}/kiosk#token=`));
    const token = decodeURIComponent(link.split('#token=')[1]!);
    expect((await srv.api('GET', '/alerts', { token })).status).toBe(403); // a kiosk token, valid
    await screenshot(admin, 'admin-devices');
    admin.once('dialog', (d) => void d.accept());
    const rows = await admin.$$('[data-testid^=device-row-]');
    const last = rows[rows.length - 1]!;
    await (await last.$('button'))!.click();
    await admin.waitForFunction(() => Array.from(document.querySelectorAll('[data-testid^=device-row-]')).at(-1)?.classList.contains('inactive'));
    expect((await srv.api('GET', '/alerts', { token })).status).toBe(401);
  });

  it('center settings: refuses a bad value in the form, saves a good one', async () => {
    await tab(admin, 'center');
    await admin.waitForSelector('[data-testid=center-form] input[name=centerName]');
    await admin.fill('input[name=maxPriorityInRow]', '99');
    await admin.click('[data-testid=center-form] button[type=submit]');
    await admin.waitForSelector('[data-testid=center-form] [data-testid=error][data-code=INVALID_INPUT]');
    await admin.fill('input[name=maxPriorityInRow]', '2');
    await admin.fill('textarea[name=tickerText]', 'Trung tâm làm việc sáng thứ Bảy từ 7:30 đến 11:30.');
    await admin.click('[data-testid=center-form] button[type=submit]');
    await admin.waitForSelector('[data-testid=saved]');
    expect((await srv.api('GET', '/admin/settings', { token: srv.adminToken })).body.maxPriorityInRow).toBe(2);
    await screenshot(admin, 'admin-center');
  });

  it('center settings: what is typed while a save is on its way stays, and "Saved" waits until it is saved', async () => {
    await tab(admin, 'center');
    await admin.waitForSelector('[data-testid=center-form] textarea[name=tickerText]');
    const submit = '[data-testid=center-form] button[type=submit]';
    const isPatch = (url: string, method: string) => url.endsWith('/api/v1/admin/settings') && method === 'PATCH';
    // The save is held on its way to the server until the admin has typed again.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let reached!: () => void;
    const onItsWay = new Promise<void>((r) => (reached = r));
    await admin.route('**/api/v1/admin/settings', async (r) => {
      if (!isPatch(r.request().url(), r.request().method())) return r.continue();
      reached();
      await held;
      await r.continue();
    });
    try {
      await admin.fill('textarea[name=tickerText]', 'Bản tin thứ nhất.');
      await admin.click(submit);
      await onItsWay;
      await admin.fill('textarea[name=tickerText]', 'Bản tin thứ hai, chưa lưu.');
      const answered = admin.waitForResponse((res) => isPatch(res.url(), res.request().method()));
      release();
      expect((await answered).status()).toBe(200);
      await admin.waitForSelector(`${submit}:not([disabled])`);
      expect(await admin.inputValue('textarea[name=tickerText]')).toBe('Bản tin thứ hai, chưa lưu.');
      expect(await admin.$('[data-testid=saved]')).toBeNull();
    } finally {
      await admin.unroute('**/api/v1/admin/settings');
    }
    await admin.click(submit);
    await admin.waitForSelector('[data-testid=saved]');
    expect((await srv.api('GET', '/admin/settings', { token: srv.adminToken })).body.tickerText).toBe('Bản tin thứ hai, chưa lưu.');
  });

  it('audit log lists who changed what', async () => {
    await tab(admin, 'audit');
    await admin.waitForSelector('[data-testid=audit] tr[data-action]');
    const actions = await admin.$$eval('[data-testid=audit] tr[data-action]', (trs) => trs.map((t) => t.getAttribute('data-action')));
    expect(actions).toEqual(expect.arrayContaining(['user.create', 'device.revoke']));
    await screenshot(admin, 'admin-audit');
  });
});
