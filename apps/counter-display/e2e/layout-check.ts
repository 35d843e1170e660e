import type { Page } from 'playwright-core';

/**
 * What a viewer would see as broken on a screen, measured in the page: every piece of text is
 * inside the screen, inside every box that clips it (so none is cut), and clear of every other
 * piece of text (so none is covered). Text is measured by its text nodes' rectangles; a glyph's
 * box is taller than its ink, so two boxes count as overlapping only when they share more than a
 * fifth of the smaller one's height (stacked lines with a tight line height touch by less).
 * `skip`: parts that move or float on purpose (the ticker's track, a button over the board).
 */
export function layoutProblems(page: Page, rootSelector: string, skip: string): Promise<string[]> {
  return page.evaluate(
    ([rootSel, skipSel]) => {
      const root = document.querySelector(rootSel);
      if (!root) return [`${rootSel} is not on the page`];
      const problems: string[] = [];
      const boxes: { label: string; r: DOMRect; el: Element }[] = [];
      const slack = (r: DOMRect) => Math.max(1, r.height * 0.2);
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = n.textContent?.trim();
        const el = n.parentElement;
        if (!text || !el || el.closest(skipSel) || el.closest('[hidden]')) continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        const label = `"${text.slice(0, 40)}"`;
        const lineHeight = parseFloat(getComputedStyle(el).lineHeight);
        for (const glyphs of Array.from(range.getClientRects())) {
          if (glyphs.width < 1 || glyphs.height < 1) continue;
          // The line box: centred on the glyph box (CSS half-leading), the line height tall.
          const h = lineHeight > 0 && lineHeight < glyphs.height ? lineHeight : glyphs.height;
          const r = new DOMRect(glyphs.x, glyphs.y + (glyphs.height - h) / 2, glyphs.width, h);
          const s = slack(r);
          if (r.left < -1 || r.right > innerWidth + 1 || r.top < -s || r.bottom > innerHeight + s) problems.push(`${label} goes off the screen`);
          for (let a: Element | null = el; a && a !== document.documentElement; a = a.parentElement) {
            const cs = getComputedStyle(a);
            if (cs.overflowX === 'visible' && cs.overflowY === 'visible') continue;
            const b = a.getBoundingClientRect();
            if (r.left < b.left - 1 || r.right > b.right + 1 || r.top < b.top - s || r.bottom > b.bottom + s) problems.push(`${label} is cut by .${String(a.className).split(' ').join('.')}`);
          }
          boxes.push({ label, r, el });
        }
      }
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i]!;
          const b = boxes[j]!;
          const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
          const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
          if (w > 1 && h > Math.min(slack(a.r), slack(b.r))) problems.push(`${a.label} and ${b.label} overlap`);
        }
      }
      return problems;
    },
    [rootSelector, skip] as const,
  );
}

/** Elements (by selector) whose text runs over more than one line. */
export function wrapped(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (els) =>
    els
      .filter((e) => {
        const lh = parseFloat(getComputedStyle(e).lineHeight);
        return e.getBoundingClientRect().height > lh * 1.5;
      })
      .map((e) => e.textContent?.trim() ?? ''),
  );
}
