import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

/** Debian's Chromium, headless, with the flags the other page tests use (apps/counter-display/e2e/browser.ts). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A number as the dashboard writes it ("1.234", "12,5", "61,4 %", "—") back to a number (or null). */
export function pageNumber(text: string): number | null {
  const t = text.replace(/\s*%$/, '').trim();
  if (t === '—' || t === '') return null;
  return Number(t.replace(/\./g, '').replace(',', '.'));
}

/** Every `td[data-col]` of the rows matching `rowSelector`, keyed by the row's `key` attribute. */
export async function tableCells(page: Page, rowSelector: string, key: string): Promise<Record<string, Record<string, string>>> {
  return page.$$eval(
    rowSelector,
    (rows, k) =>
      Object.fromEntries(
        rows.map((r) => [r.getAttribute(k) ?? '', Object.fromEntries([...r.querySelectorAll('td[data-col]')].map((td) => [td.getAttribute('data-col'), (td.textContent ?? '').trim()]))]),
      ),
    key,
  );
}
