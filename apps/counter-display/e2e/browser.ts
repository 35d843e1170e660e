import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

export const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

/** Debian's Chromium, headless, with the autoplay flag a TV kiosk is set up with (docs/voice.md). */
export function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
}

/**
 * A browser context as the center's screens have it: Vietnamese, Hanoi time, the given screen
 * size; `mobile` for a citizen's phone (touch, a dense screen).
 */
export function centerContext(browser: Browser, viewport: { width: number; height: number }, opts: { mobile?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({
    viewport,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    ...(opts.mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
}

/**
 * A page of a test that keeps its page errors for the report (`errors`, each with the page's
 * address if `withUrl`), with generous timeouts: page loads on a shared, loaded machine are slow.
 */
export function watchPage(page: Page, errors: string[], opts: { withUrl?: boolean } = {}): Page {
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (e) => errors.push(opts.withUrl ? `${page.url()}: ${String(e)}` : String(e)));
  return page;
}

/** Prints the page errors a test collected (a warning: the test's own assertions decide). */
export function warnPageErrors(errors: readonly string[]): void {
  if (errors.length) console.warn('page errors:\n' + errors.join('\n'));
}

/**
 * Takes the screenshot always (so a broken page fails here), but writes it to docs/screenshots
 * only with LUOT_SCREENSHOTS=1: a test run must not leave the working tree changed.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const png = await page.screenshot();
  if (process.env.LUOT_SCREENSHOTS === '1') writeFileSync(`${SCREENSHOTS}${name}.png`, png);
}

/** Waits until the element's trimmed text equals `text` (conditions, never fixed sleeps). */
export async function waitForText(page: Page, selector: string, text: string, timeout = 5000): Promise<void> {
  await page.waitForFunction(
    ([sel, want]) => document.querySelector(sel as string)?.textContent?.trim() === want,
    [selector, text] as const,
    { timeout, polling: 'raf' },
  );
}

export async function textOf(page: Page, selector: string): Promise<string> {
  return ((await page.textContent(selector)) ?? '').trim();
}

/** Signs in on /counter and takes counter `n`; resolves when the desk shows live state. */
export async function openCounter(page: Page, baseUrl: string, username: string, n: number, shot?: string): Promise<void> {
  await page.goto(`${baseUrl}/counter`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', 'demo');
  if (shot) await screenshot(page, `${shot}-login`);
  await page.click('button[type=submit]');
  await page.waitForSelector(`.counter-choice[data-counter="${n}"]`);
  if (shot) await screenshot(page, `${shot}-picker`);
  await page.click(`.counter-choice[data-counter="${n}"]`);
  await page.waitForSelector(`.desk[data-counter="${n}"][data-state="open"]`);
  await page.waitForSelector('[data-testid=connection-banner]', { state: 'detached' });
}

/**
 * The TV, paired by the token in the URL fragment; resolves when the first snapshot is shown.
 * Plays the voice at 4x (`voiceRate`), so the suite does not wait on real-time speech; which
 * clips play, and in what order, is the same.
 */
export async function openDisplay(page: Page, baseUrl: string, token: string, voiceRate = 4): Promise<void> {
  await page.goto(`${baseUrl}/display#token=${encodeURIComponent(token)}&voiceRate=${voiceRate}`);
  await page.waitForSelector('[data-testid=display]:not([data-seq=""])');
}

/** The clips the TV has started, in order (window.__luotAnnouncements). */
export function playedClips(page: Page): Promise<string[]> {
  return page.evaluate(() => [...(window.__luotAnnouncements ?? [])]);
}

/** Splits the played-clip log into announcements, each starting with its chime. */
export function splitAnnouncements(clips: readonly string[]): string[][] {
  const out: string[][] = [];
  for (const c of clips) {
    if (c === 'chime' || out.length === 0) out.push([]);
    out[out.length - 1]?.push(c);
  }
  return out;
}

/**
 * Presses a desk shortcut once the desk has no request in flight: the desk ignores keys while
 * busy (so a double press never calls two citizens), and the live update of the previous action
 * can arrive over the socket before its HTTP answer.
 */
export async function pressShortcut(page: Page, key: string): Promise<void> {
  await page.waitForSelector('.desk[data-busy=false]');
  await page.keyboard.press(key);
}

/** Clicks a desk button once the desk has no request in flight (see pressShortcut). */
export async function clickAction(page: Page, action: string): Promise<void> {
  await page.waitForSelector('.desk[data-busy=false]');
  await page.click(`button[data-action=${action}]`);
}
