import { describe, expect, it } from 'vitest';
import type { ScanResult } from './scanner-input.js';
import { attachScanner } from './use-scanner.js';

// Node has EventTarget and Event; a key event is an Event with the KeyboardEvent fields the
// listener reads. timeStamp is a read-only getter on Event, so it is defined on the instance.
function keyEvent(type: 'keydown' | 'keyup', key: string, timeStamp: number, extra: Record<string, unknown> = {}): Event {
  const e = new Event(type, { cancelable: true, bubbles: true });
  Object.defineProperty(e, 'timeStamp', { value: timeStamp });
  Object.assign(e, { key, repeat: false, ctrlKey: false, altKey: false, metaKey: false, ...extra });
  return e;
}

/**
 * A window stand-in. Node's EventTarget has no tree, so stopPropagation cannot be observed here;
 * what the page would do is its default action (a focused button pressed by Enter or Space), so
 * the "page" records the keys whose default was not prevented.
 */
function setup() {
  const win = new EventTarget();
  const results: ScanResult[] = [];
  const pageSaw: string[] = [];
  const timers: { fn: () => void; at: number; cancelled: boolean }[] = [];
  let clock = 0;
  const detach = attachScanner(win, (r) => results.push(r), {
    now: () => clock,
    schedule: (fn, ms) => {
      const t = { fn, at: clock + ms, cancelled: false };
      timers.push(t);
      return () => {
        t.cancelled = true;
      };
    },
  });
  for (const type of ['keydown', 'keyup'] as const) {
    win.addEventListener(type, (e) => {
      if (!e.defaultPrevented) pageSaw.push(`${type === 'keydown' ? 'down' : 'up'}:${(e as KeyboardEvent).key}`);
    });
  }
  /** Runs the timers due by `to`, as the event loop would. */
  const advance = (to: number) => {
    clock = to;
    for (const t of timers) {
      if (t.cancelled || t.at > to) continue;
      t.cancelled = true;
      t.fn();
    }
  };
  const type = (text: string, start: number, gap = 4, enter = true) => {
    let t = start;
    for (const ch of text) {
      clock = t;
      win.dispatchEvent(keyEvent('keydown', ch, t));
      win.dispatchEvent(keyEvent('keyup', ch, t + 1));
      t += gap;
    }
    clock = t;
    if (enter) {
      win.dispatchEvent(keyEvent('keydown', 'Enter', t));
      win.dispatchEvent(keyEvent('keyup', 'Enter', t + 1));
    }
    return t;
  };
  return { win, results, pageSaw, detach, advance, type, timers };
}

const CARD = '001085012345||Trần Thị Bình|02071992|Nữ|Phường Sài Gòn|20032022';

describe('attachScanner', () => {
  it('reports a scan and keeps the scanner’s keys (after the first) and its Enter from the page', () => {
    const s = setup();
    s.type(CARD, 0);
    expect(s.results).toEqual([{ kind: 'scan', text: CARD }]);
    // Only the first character got through: nothing the page could act on.
    expect(s.pageSaw).toEqual(['down:0', 'up:0']);
  });

  it('lets a person’s keys through and reports nothing', () => {
    const s = setup();
    s.type('hello', 0, 150);
    expect(s.results).toEqual([]);
    expect(s.pageSaw).toContain('down:Enter');
    expect(s.pageSaw.filter((k) => k.startsWith('down:'))).toEqual(['down:h', 'down:e', 'down:l', 'down:l', 'down:o', 'down:Enter']);
  });

  it('reports a partial scan once the scanner stops without Enter, from its timer', () => {
    const s = setup();
    const end = s.type(CARD.slice(0, 25), 0, 4, false);
    expect(s.results).toEqual([]);
    s.advance(end + 10);
    expect(s.results).toEqual([]); // the timer is not due yet
    // Not even after 100 ms: a busy browser may hand over the next key of the scan that late.
    s.advance(end + 100);
    expect(s.results).toEqual([]);
    s.advance(end + 400);
    expect(s.results).toEqual([{ kind: 'partial', length: 25 }]);
  });

  it('ignores keys typed into a text field', () => {
    const s = setup();
    const input = { tagName: 'input' };
    let t = 0;
    for (const ch of CARD) {
      const e = keyEvent('keydown', ch, (t += 4));
      Object.defineProperty(e, 'target', { value: input });
      s.win.dispatchEvent(e);
    }
    const enter = keyEvent('keydown', 'Enter', t + 4);
    Object.defineProperty(enter, 'target', { value: input });
    s.win.dispatchEvent(enter);
    expect(s.results).toEqual([]);
    expect(s.pageSaw.length).toBe([...CARD].length + 1);
  });

  it('stops listening when detached', () => {
    const s = setup();
    s.detach();
    s.type(CARD, 0);
    expect(s.results).toEqual([]);
    expect(s.timers.every((t) => t.cancelled)).toBe(true);
  });
});
