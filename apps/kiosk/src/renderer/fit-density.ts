import { useLayoutEffect, type RefObject } from 'react';

/**
 * How many steps a screen may shrink its type and spacing to fit (styles.css maps each level of
 * `data-density` to a factor `--k`, 1 down to 0.6, with floors for the small print). Past the
 * last one the screen scrolls: a button is never drawn over another, nor cut off.
 */
export const DENSITY_LEVELS = 5;

/**
 * Sets `data-density` on `el` (a scroll container) to the first level at which its content fits
 * without scrolling, or the last level. Synchronous: each step is one layout, before any paint.
 */
export function fitDensity(el: HTMLElement, levels = DENSITY_LEVELS): number {
  for (let d = 0; d < levels; d++) {
    el.dataset.density = String(d);
    if (el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1) return d;
  }
  return levels - 1;
}

/**
 * Keeps `ref`'s element fitted: after every render (the services, their names, the language, a
 * banner may have changed), when the window changes size, and once the fonts have loaded (they
 * change every line's width). React never sets `data-density`, so it does not undo this.
 */
export function useFitDensity(ref: RefObject<HTMLElement | null>): void {
  useLayoutEffect(() => {
    if (ref.current) fitDensity(ref.current);
  });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    let frame = 0;
    const refit = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => fitDensity(el));
    };
    const ro = new ResizeObserver(refit);
    ro.observe(el);
    document.fonts.addEventListener('loadingdone', refit);
    void document.fonts.ready.then(refit);
    return () => {
      ro.disconnect();
      cancelAnimationFrame(frame);
      document.fonts.removeEventListener('loadingdone', refit);
    };
  }, [ref]);
}
