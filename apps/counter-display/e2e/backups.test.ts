import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD } from '../../server/test/helpers/test-server.js';
import { launchBrowser, screenshot, textOf } from './browser.js';
import { ServerChild } from './server-child.js';

/**
 * The dashboard's backup card against the built server as a child process (main.ts, so the real
 * operations): first with no LUOT_BACKUP_DIR (said in red), then restarted with a backup folder,
 * a backup taken with the backup command (scripts/backup) while it runs, and the folder removed
 * as when the USB stick is pulled out.
 */
const backupCli = fileURLToPath(new URL('../../server/dist/src/cli/backup.js', import.meta.url));
const server = new ServerChild();
const stick = `${server.dataDir}-stick`;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;

beforeAll(async () => {
  [browser] = await Promise.all([launchBrowser(), server.start()]);
  ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  page.setDefaultTimeout(10_000);
});

afterAll(async () => {
  await ctx?.close();
  await browser?.close();
  await server.dispose();
  rmSync(stick, { recursive: true, force: true });
  delete process.env.LUOT_BACKUP_DIR;
});

/** The card in `state` (read again on a reload: the card also polls, but a test need not wait 15 s). */
async function cardIn(state: string): Promise<void> {
  await page.reload();
  await page.waitForSelector(`[data-testid=backups][data-state=${state}]`);
}

describe('dashboard: Sao lưu / Backups', () => {
  it('no backup folder set: said in red, Vietnamese first', async () => {
    await page.goto(`${server.url}/admin`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=backups][data-state=unset]');
    expect(await textOf(page, '[data-testid=backups] h2')).toBe('Sao lưuBackups');
    expect(await textOf(page, '[data-testid=backup-problem] .vi')).toBe('Chưa đặt thư mục sao lưu (LUOT_BACKUP_DIR) — dữ liệu chưa được sao lưu.');
    expect(await textOf(page, '[data-testid=backup-problem] .en')).toBe('No backup folder set (LUOT_BACKUP_DIR): nothing is backed up.');
    const red = await page.$eval('[data-testid=backup-problem]', (el) => getComputedStyle(el).color);
    expect(red).toBe('rgb(140, 29, 24)');
  });

  it('with a folder: none yet, then the backup taken by the command, then the stick pulled out', async () => {
    mkdirSync(stick);
    await server.stop('SIGTERM');
    // spawnServer passes the test's environment on to the server.
    process.env.LUOT_BACKUP_DIR = stick;
    await server.start();
    await cardIn('ok');
    expect(await textOf(page, '[data-testid=backup-folder]')).toBe(stick);
    expect(await textOf(page, '[data-testid=backup-last] .vi')).toBe('Chưa có');
    expect(await textOf(page, '[data-testid=backup-next] .vi')).toBe('02:00 hằng ngày (giữ 14 bản)');
    expect(await textOf(page, '[data-testid=backup-next] .en')).toBe('daily at 02:00 (14 kept)');
    expect(await page.$('[data-testid=backup-problem]')).toBeNull();

    // The backup command while the server runs (what scripts/backup runs).
    execFileSync(process.execPath, [backupCli], { env: { ...process.env, LUOT_DATA_DIR: server.dataDir, LUOT_BACKUP_DIR: stick }, stdio: 'pipe' });
    const [file] = readdirSync(stick).filter((f) => f.endsWith('.sqlite'));
    expect(file).toBeDefined();
    await page.reload();
    await page.waitForFunction(() => /\d{2}:\d{2} \d{1,2}\/\d{1,2}\/\d{4} · \d+ KB/.test(document.querySelector('[data-testid=backup-last]')?.textContent ?? ''));
    expect(await page.getAttribute('[data-testid=backup-last] span', 'title')).toBe(file);
    await screenshot(page, 'admin-backups');

    // The USB stick pulled out: red, with what to do.
    rmSync(stick, { recursive: true });
    await cardIn('folder_missing');
    expect(await textOf(page, '[data-testid=backup-problem] .vi')).toBe(`Không thấy thư mục sao lưu ${stick}. Cắm lại USB sao lưu; máy chủ tự thử lại mỗi giờ.`);
    expect(await textOf(page, '[data-testid=backup-problem] .en')).toBe(`The backup folder ${stick} is missing. Plug the backup USB stick back in; the server tries again every hour.`);
  });
});
