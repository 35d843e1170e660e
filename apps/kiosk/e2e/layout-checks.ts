import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * What a citizen's finger meets on a kiosk screen, measured in the real page: boxes that overlap,
 * words that spill out of their button, buttons off the screen, and taps that land on something
 * else than the button drawn there (issue: the priority button drawn over the service cards in
 * landscape, and a tap on "Đất đai" taking a priority number).
 */
export interface LayoutReport {
  problems: string[];
  /** The screen needs scrolling to reach everything (allowed only where it cannot fit). */
  scrolls: boolean;
  density: string | null;
  /** How many pixels more than the screen the start screen needs (0 when it fits). */
  overflowPx: number;
}

/** Checks the start screen (also in priority mode and the checked-in greeting). */
export function homeLayout(page: Page): Promise<LayoutReport> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const vw = document.documentElement.clientWidth;
    const vh = document.documentElement.clientHeight;
    const label = (el: Element) => el.getAttribute('data-testid') ?? el.getAttribute('data-service') ?? `${el.tagName.toLowerCase()}.${String(el.className).split(' ')[0]}`;
    const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
    const inside = (a: DOMRect, outer: DOMRect) => a.left >= outer.left - 1 && a.right <= outer.right + 1 && a.top >= outer.top - 1 && a.bottom <= outer.bottom + 1;

    const home = document.querySelector<HTMLElement>('main.home')!;
    const header = document.querySelector('header.top')!;
    home.scrollTop = 0;
    const homeBox = home.getBoundingClientRect();
    if (header.getBoundingClientRect().bottom > homeBox.top + 0.5) problems.push('the header covers the start screen');

    // Every box of its own: the header's parts, the start screen's parts and each service card.
    const groups: Element[][] = [Array.from(header.children), [...Array.from(home.children).filter((c) => !c.classList.contains('services')), ...Array.from(home.querySelectorAll('.services > *'))]];
    for (const group of groups) {
      const boxes = group.map((el) => ({ el, r: el.getBoundingClientRect() }));
      for (let i = 0; i < boxes.length; i++) {
        const a = boxes[i]!;
        if (a.r.left < -0.5 || a.r.right > vw + 0.5) problems.push(`${label(a.el)} is cut off at the side (${Math.round(a.r.left)}..${Math.round(a.r.right)} of ${vw})`);
        for (let j = i + 1; j < boxes.length; j++) {
          const b = boxes[j]!;
          if (overlap(a.r, b.r)) problems.push(`${label(a.el)} overlaps ${label(b.el)}`);
        }
        // Every word and icon inside its own box: nothing spills over a neighbour.
        const walker = document.createTreeWalker(a.el, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          if (!n.textContent?.trim()) continue;
          const range = document.createRange();
          range.selectNodeContents(n);
          // A line's glyph box is a little taller than a tight line-height: allow that much.
          const slack = 0.15 * parseFloat(getComputedStyle(n.parentElement!).fontSize);
          const outer = new DOMRect(a.r.left, a.r.top - slack, a.r.width, a.r.height + 2 * slack);
          for (const r of Array.from(range.getClientRects())) if (!inside(r, outer)) problems.push(`"${n.textContent.trim().slice(0, 30)}" spills out of ${label(a.el)}`);
        }
        for (const svg of Array.from(a.el.querySelectorAll('svg'))) if (!inside(svg.getBoundingClientRect(), a.r)) problems.push(`an icon spills out of ${label(a.el)}`);
      }
    }

    // Every button reachable (scrolled to if it must be) and a tap at its centre lands on it.
    const buttons = [...Array.from(header.querySelectorAll('button')), ...Array.from(home.querySelectorAll('button'))];
    for (const el of buttons) {
      el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      const r = el.getBoundingClientRect();
      const view = el.closest('main') ? home.getBoundingClientRect() : new DOMRect(0, 0, vw, vh);
      if (!inside(r, new DOMRect(0, 0, vw, vh)) || !inside(r, view)) problems.push(`${label(el)} cannot be brought fully on screen (${Math.round(r.top)}..${Math.round(r.bottom)} of ${vh})`);
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (hit?.closest('button') !== el) problems.push(`a tap at the centre of ${label(el)} lands on ${hit ? label(hit.closest('button') ?? hit) : 'nothing'}`);
    }
    home.scrollTop = 0;
    return { problems, scrolls: home.scrollHeight > home.clientHeight + 1, density: home.getAttribute('data-density'), overflowPx: Math.max(0, home.scrollHeight - home.clientHeight) };
  });
}

/** The ticket screen: the number, the QR and Xong inside the viewport, nothing overlapping, nothing scrolling. */
export async function expectTicketFits(page: Page, where: string) {
  await expectInView(page, where);
  const overlaps = await page.getByTestId('ticket-screen').evaluate((screen) => {
    const found: string[] = [];
    const boxes = Array.from(screen.children).map((el) => ({ el, r: el.getBoundingClientRect() }));
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!.r;
        const b = boxes[j]!.r;
        if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) found.push(`${boxes[i]!.el.className} overlaps ${boxes[j]!.el.className}`);
      }
    return found;
  });
  expect(overlaps, where).toEqual([]);
}

/** The Xong button and the ticket number lie wholly inside the viewport, and nothing scrolls. */
export async function expectInView(page: Page, where: string) {
  const vp = page.viewportSize()!;
  for (const id of ['done', 'ticket-number']) {
    const box = await page.getByTestId(id).boundingBox();
    expect(box, `${where}: ${id} has a box`).not.toBeNull();
    expect(box!.y, `${where}: ${id} top`).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height, `${where}: ${id} bottom (viewport ${vp.height})`).toBeLessThanOrEqual(vp.height);
    expect(box!.x + box!.width, `${where}: ${id} right`).toBeLessThanOrEqual(vp.width);
  }
  const screen = await page.getByTestId('ticket-screen').evaluate((e) => ({ scroll: e.scrollHeight, client: e.clientHeight }));
  expect(screen.scroll, `${where}: the ticket screen does not overflow`).toBeLessThanOrEqual(screen.client + 1);
}
