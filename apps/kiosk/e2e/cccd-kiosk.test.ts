import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lastTicket, launchChromium, openKiosk, startHarness, type Harness } from './harness.js';

/**
 * Issue 16 at the kiosk, in Chromium against the real server: a citizen holds their ID card's QR
 * to a keyboard-mode scanner, which types the text a few milliseconds a key and presses Enter.
 * The kiosk greets them by name on its own screen, the server decides priority by age, and a
 * bad scan (a URL, a bank QR, random text, a cut-off scan, an impossible date, a scan in the
 * middle of a tap) gets a clear message and the normal flow. Every person here is invented.
 */
let browser: Browser;
let h: Harness;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const THO_QR = '001050012345||NGUYỄN VĂN THỌ|15031950|Nam|Số 12 ngõ 34 phố Hàng Bông, Hoàn Kiếm, Hà Nội|10052021';
const NGOC_QR = '079190004567|012345678|Trần Thị Bích Ngọc|02071990|Nữ|45/6 Lê Lợi, Phường Sài Gòn, TP. Hồ Chí Minh|20032022';
const SECRETS = ['Thọ', 'THỌ', '001050012345', 'Bích Ngọc', '079190004567', 'Hàng Bông', 'Lê Lợi', '012345678'];

/**
 * Types `text` as a keyboard-mode scanner does, then Enter: one real keydown (and keyup) per
 * character, `gapMs` apart by the scanner's clock (scanners send every 1-20 ms; the assembler
 * takes up to 35 ms between keys as a scanner). The events go through the DevTools protocol with
 * their time stamped as the scanner sends them, all at once and in order: this test process also
 * runs the server, on a machine shared with other builds, and a stall of a few tens of
 * milliseconds between two awaited page.keyboard.type steps splits the run as no scanner does
 * (seen here: 36 ms between two keys of one scan). page.keyboard.type also types letters outside
 * the US layout ("Ễ", "ữ") as text without a keydown, which no Unicode scanner does.
 */
async function scannerTypes(page: Page, text: string, opts: { enter?: boolean; gapMs?: number } = {}): Promise<void> {
  const gap = (opts.gapMs ?? 3) / 1000;
  const cdp: CDPSession = await page.context().newCDPSession(page);
  try {
    // DevTools timestamps are seconds since the epoch. The run ends now, never in the future: the
    // kiosk's own timer, on the real clock, reports a run cut off (no Enter) once it is quiet.
    const keys = [...text].length + (opts.enter === false ? 0 : 1);
    let t = Date.now() / 1000 - keys * gap;
    const sends: Promise<unknown>[] = [];
    const key = (k: string, text: string, named: { code: string; windowsVirtualKeyCode: number } | null = null) => {
      t += gap;
      sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: k, text, unmodifiedText: text, timestamp: t, ...named }));
      sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k, timestamp: t + gap / 2, ...named }));
    };
    for (const ch of text) key(ch, ch);
    if (opts.enter !== false) key('Enter', '\r', { code: 'Enter', windowsVirtualKeyCode: 13 });
    await Promise.all(sends);
  } finally {
    await cdp.detach();
  }
}

const service = (page: Page, code: string) => page.locator(`[data-service="${code}"]`);
const tap = (page: Page, code: string) => service(page, code).dispatchEvent('pointerdown');
const mainText = (page: Page, testId: string) => page.locator(`[data-testid="${testId}"] .bi-main`).first().textContent();
const citizenOf = (ticketId: string) => h.ts.db.prepare('SELECT full_name, year_of_birth, sex FROM checkin_citizens WHERE ticket_id = ?').get(ticketId);
const pageText = (page: Page) => page.evaluate(() => document.documentElement.outerHTML + '\n' + document.body.innerText);

async function openReady(opts: { idleMs?: number; ticketMs?: number } = {}) {
  const { page } = await openKiosk(browser, h, { mode: 'electron', ...opts });
  const errors: Error[] = [];
  page.on('pageerror', (e) => errors.push(e));
  // Every frame the kiosk's socket receives, for the privacy search.
  const frames: string[] = [];
  page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
  await service(page, 'land').waitFor();
  return { page, errors, frames };
}

/** Scans a card and waits for the kiosk's greeting. */
async function scanCard(page: Page, qr: string): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __keys?: string[] };
    if (!w.__keys) window.addEventListener('keydown', (e) => w.__keys!.push(`${e.key}@${e.timeStamp.toFixed(1)}/${(performance.now() - e.timeStamp).toFixed(0)}`), { capture: true });
    w.__keys = [];
  });
  await scannerTypes(page, qr);
  try {
    await page.getByTestId('greeting').waitFor();
  } catch (e) {
    const n = page.locator('[data-testid="scan-notice"]');
    const reason = (await n.count()) ? await n.getAttribute('data-reason') : 'no notice';
    const keys = await page.evaluate(() => (window as unknown as { __keys: string[] }).__keys.join(' '));
    throw new Error(`no greeting after the scan (the kiosk said: ${reason}; keys: ${keys})`, { cause: e });
  }
}

describe('checking in with the ID card at the kiosk', () => {
  it('shows the short privacy notice on the home screen, Vietnamese first', async () => {
    const { page } = await openReady();
    const notice = page.getByTestId('check-in-notice');
    await notice.waitFor();
    const lines = await notice.locator('.bi-main').allTextContents();
    expect(lines).toEqual([
      'Không bắt buộc: quét thẻ căn cước để được ưu tiên theo tuổi và để cán bộ gọi đúng tên.',
      'Họ tên, năm sinh chỉ lưu đến hết ngày; số thẻ chỉ lưu dạng mã không đọc ngược được, 30 ngày.',
    ]);
    expect(await notice.locator('.bi-sub').first().textContent()).toBe('Optional: scan your ID card for priority by age and so the officer can greet you by name.');
  });

  it('born 1950: greeted by name, a PRIORITY ticket without a tap on "Ưu tiên"; born 1990: a NORMAL one; no name after reset', async () => {
    const { page, errors, frames } = await openReady();
    await scanCard(page, THO_QR);
    expect(await mainText(page, 'greeting')).toBe('Xin chào Ông Nguyễn Văn Thọ');
    expect(await page.getByTestId('priority-by-age').isVisible()).toBe(true);
    await tap(page, 'land');
    await page.getByTestId('ticket-number').waitFor();
    const old = lastTicket(h)!;
    expect(old.priority).toBe(1);
    expect(citizenOf(old.id)).toEqual({ full_name: 'Nguyễn Văn Thọ', year_of_birth: 1950, sex: 'male' });
    expect(await page.locator('.ticket-priority .bi-main').textContent()).toBe('Ưu tiên');
    await page.getByTestId('done').dispatchEvent('pointerdown');
    await page.getByTestId('home').waitFor();

    await scanCard(page, NGOC_QR);
    expect(await mainText(page, 'greeting')).toBe('Xin chào Bà Trần Thị Bích Ngọc');
    expect(await page.getByTestId('priority-by-age').count()).toBe(0);
    await tap(page, 'civil-status');
    await page.getByTestId('ticket-number').waitFor();
    const young = lastTicket(h)!;
    expect(young.priority).toBe(0);
    expect(citizenOf(young.id)).toEqual({ full_name: 'Trần Thị Bích Ngọc', year_of_birth: 1990, sex: 'female' });
    expect(await page.locator('.ticket-priority').count()).toBe(0);
    // The ticket screen itself names nobody; after Done, the kiosk holds no trace of either card.
    expect(await page.getByTestId('ticket-screen').innerText()).not.toMatch(/Ngọc|Thọ/);
    await page.getByTestId('done').dispatchEvent('pointerdown');
    await page.getByTestId('home').waitFor();
    const text = await pageText(page);
    for (const secret of SECRETS) expect(text.includes(secret), secret).toBe(false);
    for (const secret of SECRETS) expect(frames.join('\n').includes(secret), `socket: ${secret}`).toBe(false);
    expect(frames.join('\n')).toContain(old.number);
    expect(errors).toEqual([]);
  });

  it('a normal tap without a card works exactly as before', async () => {
    const { page } = await openReady();
    await tap(page, 'certification');
    await page.getByTestId('ticket-number').waitFor();
    const t = lastTicket(h)!;
    expect(t.priority).toBe(0);
    expect(citizenOf(t.id)).toBeUndefined();
  });

  it('bad input: a URL, a VietQR bank code, random text, a cut-off scan, an impossible date → a clear message, then the normal flow', async () => {
    const { page, errors } = await openReady();
    const cases: { text: string; enter?: boolean; reason: string; vi: string }[] = [
      { text: 'https://dichvucong.gov.vn/p/home/dvc-trang-chu.html', reason: 'not_cccd', vi: 'Mã vừa quét không phải mã QR trên thẻ căn cước. Vui lòng chạm vào lĩnh vực cần giải quyết.' },
      {
        text: '00020101021138570010A000000727012700069704360113001101234567802080QRIBFTTA53037045802VN62150811THANH TOAN6304A1B2',
        reason: 'not_cccd',
        vi: 'Mã vừa quét không phải mã QR trên thẻ căn cước. Vui lòng chạm vào lĩnh vực cần giải quyết.',
      },
      { text: 'xin chao day la mot chuoi ngau nhien 12345', reason: 'not_cccd', vi: 'Mã vừa quét không phải mã QR trên thẻ căn cước. Vui lòng chạm vào lĩnh vực cần giải quyết.' },
      // The card pulled away mid-scan: no Enter ever comes.
      { text: '001050012345||NGUYỄN VĂN', enter: false, reason: 'partial', vi: 'Chưa đọc hết mã trên thẻ. Vui lòng giữ yên thẻ và quét lại.' },
      { text: '001050012345||NGUYỄN VĂN THỌ|30021950|Nam|Hà Nội|10052021', reason: 'bad_date', vi: 'Ngày tháng trên thẻ không hợp lệ. Vui lòng quét lại hoặc chạm vào lĩnh vực cần giải quyết.' },
    ];
    for (const c of cases) {
      await scannerTypes(page, c.text, { enter: c.enter ?? true });
      const notice = page.locator(`[data-testid="scan-notice"][data-reason="${c.reason}"]`);
      await notice.waitFor();
      expect(await notice.locator('.bi-main').textContent()).toBe(c.vi);
      expect(await page.getByTestId('greeting').count()).toBe(0);
      // The scanner's Enter pressed nothing: no ticket was issued by it.
      expect(lastTicket(h)).toBeUndefined();
      // Dismissed by the next scan, or by a tap: clear it here by scanning the next case.
    }
    // The normal flow: a tap gives a plain ticket (never a leftover priority).
    await tap(page, 'land');
    await page.getByTestId('ticket-number').waitFor();
    const t = lastTicket(h)!;
    expect(t.priority).toBe(0);
    expect(citizenOf(t.id)).toBeUndefined();
    expect(await page.getByTestId('scan-notice').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('a refused scan after a good one ends the greeting: the next tap is not the earlier citizen’s priority', async () => {
    const { page } = await openReady();
    await scanCard(page, THO_QR);
    await scannerTypes(page, 'https://example.vn/not-a-card');
    await page.locator('[data-testid="scan-notice"][data-reason="not_cccd"]').waitFor();
    expect(await page.getByTestId('greeting').count()).toBe(0);
    await tap(page, 'land');
    await page.getByTestId('ticket-number').waitFor();
    expect(lastTicket(h)!.priority).toBe(0);
  });

  it('a scan in the middle of a tap: the number being issued is unchanged, the kiosk says the card was not used', async () => {
    const { page, errors } = await openReady();
    // The network is slow today: the issue request is held until the whole scan has been typed.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let held = false;
    await page.route('**/api/v1/tickets', async (route) => {
      held = true;
      await released;
      await route.continue();
    });
    await tap(page, 'land');
    await expect.poll(() => held).toBe(true);
    await scannerTypes(page, THO_QR);
    await page.locator('[data-testid="scan-notice"][data-reason="busy"]').waitFor();
    release();
    await page.getByTestId('ticket-number').waitFor();
    const t = lastTicket(h)!;
    expect(t.priority).toBe(0);
    expect(citizenOf(t.id)).toBeUndefined();
    expect(await page.locator('[data-testid="scan-notice"] .bi-main').textContent()).toBe('Thẻ vừa quét chưa được dùng vì máy đang in số. Vui lòng chạm Xong rồi quét lại.');
    expect(await page.getByTestId('ticket-screen').innerText()).not.toContain('Thọ');
    await page.unroute('**/api/v1/tickets');
    // Then the citizen does as told: Done, scan again, a priority number of their own.
    await page.getByTestId('done').dispatchEvent('pointerdown');
    await page.getByTestId('home').waitFor();
    await scanCard(page, THO_QR);
    await tap(page, 'land');
    await expect.poll(() => lastTicket(h)!.id).not.toBe(t.id);
    expect(lastTicket(h)!.priority).toBe(1);
    expect(errors).toEqual([]);
  });

  it('the greeting goes by itself when nobody taps, and the kiosk shows no name after', async () => {
    const { page } = await openReady({ idleMs: 1500 });
    await scanCard(page, NGOC_QR);
    await page.getByTestId('home').waitFor({ timeout: 5000 });
    const text = await pageText(page);
    for (const secret of SECRETS) expect(text.includes(secret), secret).toBe(false);
  });

  it('switched off by the admin: no notice, a scan is answered "not used here", the greeting on screen goes, a tap works', async () => {
    const { page } = await openReady();
    await scanCard(page, NGOC_QR);
    expect((await h.ts.api('PATCH', '/admin/settings', { token: h.ts.adminToken, body: { checkInEnabled: false } })).status).toBe(200);
    // Live, through the center's update: the greeting and the notice go.
    await page.getByTestId('home').waitFor();
    expect(await page.getByTestId('check-in-notice').count()).toBe(0);
    await scannerTypes(page, THO_QR);
    const notice = page.locator('[data-testid="scan-notice"][data-reason="off"]');
    await notice.waitFor();
    expect(await notice.locator('.bi-main').textContent()).toBe('Máy này chưa dùng thẻ căn cước. Vui lòng chạm vào lĩnh vực cần giải quyết để lấy số.');
    expect(await page.getByTestId('greeting').count()).toBe(0);
    await tap(page, 'land');
    await page.getByTestId('ticket-number').waitFor();
    expect(lastTicket(h)!.priority).toBe(0);
    expect(h.ts.db.prepare('SELECT count(*) AS n FROM checkin_citizens').get()).toEqual({ n: 0 });
  });
});
