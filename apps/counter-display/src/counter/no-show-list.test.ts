import type { Ticket } from '@luot/protocol';
import { describe, expect, it } from 'vitest';
import { NO_SHOWS_KEPT, NoShowList } from './no-show-list.js';

const t = (n: number): Ticket => ({ id: `t${n}`, number: `1${String(n).padStart(3, '0')}`, status: 'no_show' }) as Ticket;
const ids = (l: NoShowList) => l.tickets.map((x) => x.id);

describe("the desk's call-back list", () => {
  it('takes the server list after a reload, newest first', () => {
    const l = new NoShowList();
    const read = l.startRead();
    expect(l.answered(read, [t(3), t(2), t(1)])).toBe(true);
    expect(ids(l)).toEqual(['t3', 't2', 't1']);
  });

  it('keeps a no-show marked while the read was on its way, and drops one called back meanwhile', () => {
    const l = new NoShowList();
    const first = l.startRead();
    l.answered(first, [t(1), t(2)]);
    const read = l.startRead();
    l.add(t(5)); // marked after the server read its list
    l.remove('t2'); // called back after the server read its list
    l.answered(read, [t(2), t(1)]);
    expect(ids(l)).toEqual(['t5', 't1']);
  });

  it('ignores the answer of an older read once a newer one started', () => {
    const l = new NoShowList();
    const old = l.startRead();
    const newer = l.startRead();
    expect(l.answered(old, [t(9)])).toBe(false);
    expect(ids(l)).toEqual([]);
    expect(l.answered(newer, [t(8)])).toBe(true);
    expect(ids(l)).toEqual(['t8']);
  });

  it('keeps the newest few, each once', () => {
    const l = new NoShowList();
    for (let i = 0; i < NO_SHOWS_KEPT + 3; i++) l.add(t(i));
    l.add(t(NO_SHOWS_KEPT + 2));
    expect(l.tickets).toHaveLength(NO_SHOWS_KEPT);
    expect(ids(l)[0]).toBe(`t${NO_SHOWS_KEPT + 2}`);
    expect(new Set(ids(l)).size).toBe(NO_SHOWS_KEPT);
  });
});
