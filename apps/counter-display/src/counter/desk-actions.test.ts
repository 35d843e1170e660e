import type { Ticket } from '@luot/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ActionAnswer, ServerAction } from './desk-actions.js';
import { actionBody, currentAfter, DeskActions, DOUBLE_PRESS_MS, ShownTicket } from './desk-actions.js';

const ticket = (id: string): Ticket => ({ id, number: id, serviceId: 1, priority: false, status: 'called', issuedAt: '2026-11-30T08:00:00.000Z' });

/** A promise the test resolves by hand: the server's answer still on its way. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

class StaleError extends Error {
  readonly code = 'STALE_REQUEST';
}

/**
 * A counter as the server keeps it, with the expectTicketId rule (409 STALE_REQUEST when the page
 * expected another current ticket), and a queue of waiting tickets. Enough to play two tabs.
 */
function fakeCounter(waiting: string[]) {
  let current: string | null = null;
  const applied: string[] = [];
  const send = async (action: ServerAction, body: Record<string, unknown> | undefined): Promise<ActionAnswer | null> => {
    if (body && 'expectTicketId' in body && body.expectTicketId !== current) throw new StaleError();
    applied.push(action);
    if (action === 'call-next') {
      const next = waiting.shift() ?? null;
      current = next;
      return { ticket: next ? ticket(next) : null };
    }
    if (action === 'complete') {
      const done = current;
      current = null;
      return { ticket: ticket(done ?? '?') };
    }
    return {};
  };
  return { send, applied, current: () => current };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('actionBody', () => {
  it('says which ticket the officer saw, on every action on a citizen', () => {
    expect(actionBody('call-next', null)).toEqual({ expectTicketId: null });
    expect(actionBody('recall', 'a')).toEqual({ expectTicketId: 'a' });
    expect(actionBody('complete', 'a')).toEqual({ expectTicketId: 'a' });
    expect(actionBody('no-show', 'a')).toEqual({ expectTicketId: 'a' });
    expect(actionBody('transfer', 'a', { serviceId: 3 })).toEqual({ serviceId: 3, expectTicketId: 'a' });
    expect(actionBody('call', null, { ticketId: 'b' })).toEqual({ ticketId: 'b', expectTicketId: null });
  });

  it('sends no body to open, pause and close, and refuses a transfer or call without its target', () => {
    expect(actionBody('open', 'a')).toBeUndefined();
    expect(actionBody('pause', 'a')).toBeUndefined();
    expect(actionBody('close', 'a')).toBeUndefined();
    expect(() => actionBody('transfer', 'a')).toThrow(/serviceId/);
    expect(() => actionBody('call', 'a')).toThrow(/ticketId/);
  });
});

describe('currentAfter', () => {
  it('is the ticket the counter serves once the action is applied, undefined when unchanged', () => {
    expect(currentAfter('call-next', { ticket: ticket('b') })).toBe('b');
    expect(currentAfter('call-next', { ticket: null })).toBeNull();
    expect(currentAfter('call', { ticket: ticket('c') })).toBe('c');
    for (const a of ['complete', 'no-show', 'transfer', 'close'] as const) expect(currentAfter(a, { ticket: ticket('a') })).toBeNull();
    for (const a of ['recall', 'open', 'pause'] as const) expect(currentAfter(a, {})).toBeUndefined();
  });
});

describe('DeskActions', () => {
  it('a double press in the same instant sends one request; the second press is ignored', async () => {
    const shown = new ShownTicket();
    const answer = deferred<ActionAnswer | null>();
    const send = vi.fn(() => answer.promise);
    const busy: boolean[] = [];
    const desk = new DeskActions({ send, shown, onBusy: (b) => busy.push(b), cooldownMs: 0 });
    const first = desk.perform('call-next');
    const second = desk.perform('call-next'); // same tick: no render in between
    expect(await second).toEqual({ kind: 'busy' });
    expect(send).toHaveBeenCalledTimes(1);
    expect(send).toHaveBeenCalledWith('call-next', { expectTicketId: null });
    answer.resolve({ ticket: ticket('1001') });
    shown.set('1001');
    expect(await first).toEqual({ kind: 'done', answer: { ticket: ticket('1001') } });
    expect(busy).toEqual([true, false]);
  });

  it('reads the ticket on screen at the moment of the press', async () => {
    const shown = new ShownTicket();
    const send = vi.fn(async (): Promise<ActionAnswer | null> => ({}));
    const desk = new DeskActions({ send, shown, cooldownMs: 0 });
    shown.set('1001');
    await desk.perform('recall');
    shown.set('1002');
    await desk.perform('recall');
    expect(send.mock.calls.map((c) => c[1])).toEqual([{ expectTicketId: '1001' }, { expectTicketId: '1002' }]);
  });

  it('stays busy until the screen shows the result, so a press in between carries no stale ticket', async () => {
    const shown = new ShownTicket();
    shown.set('1001');
    const send = vi.fn(async (action: ServerAction): Promise<ActionAnswer | null> => (action === 'complete' ? { ticket: ticket('1001') } : { ticket: ticket('1002') }));
    const desk = new DeskActions({ send, shown, cooldownMs: 0 });
    const completing = desk.perform('complete');
    await vi.waitFor(() => expect(send).toHaveBeenCalledTimes(1));
    // The HTTP answer is in, the live update is not: still busy, a press now is ignored.
    await Promise.resolve();
    expect(desk.busy).toBe(true);
    expect(await desk.perform('call-next')).toEqual({ kind: 'busy' });
    shown.set(null); // the screen shows the counter free
    expect(await completing).toMatchObject({ kind: 'done' });
    expect(desk.busy).toBe(false);
    const next = desk.perform('call-next');
    await vi.waitFor(() => expect(send).toHaveBeenCalledTimes(2));
    shown.set('1002');
    expect(await next).toMatchObject({ kind: 'done' });
    expect(send.mock.calls.map((c) => [c[0], c[1]])).toEqual([
      ['complete', { expectTicketId: '1001' }],
      ['call-next', { expectTicketId: null }],
    ]);
  });

  it('a second press soon after the first one’s result is on screen is a double press: ignored', async () => {
    vi.useFakeTimers();
    const server = fakeCounter(['1001', '1002', '1003']);
    const shown = new ShownTicket();
    const busy: boolean[] = [];
    const desk = new DeskActions({ send: server.send, shown, onBusy: (b) => busy.push(b) });
    const first = desk.perform('call-next');
    await vi.advanceTimersByTimeAsync(0);
    shown.set('1001'); // 1001 is on screen a few ms after the first press
    expect(await first).toMatchObject({ kind: 'done' });
    await vi.advanceTimersByTimeAsync(DOUBLE_PRESS_MS - 1);
    expect(await desk.perform('call-next')).toEqual({ kind: 'busy' }); // the finger's second tap
    expect(server.applied).toEqual(['call-next']);
    await vi.advanceTimersByTimeAsync(1);
    expect(busy).toEqual([true, false]);
    // Half a second later, a press is the officer's own decision again.
    const next = desk.perform('call-next');
    await vi.advanceTimersByTimeAsync(0);
    shown.set('1002');
    expect(await next).toMatchObject({ kind: 'done' });
    expect(server.applied).toEqual(['call-next', 'call-next']);
    expect(server.current()).toBe('1002');
  });

  it('is released after a while if the live update never comes (socket down)', async () => {
    vi.useFakeTimers();
    const shown = new ShownTicket();
    const desk = new DeskActions({ send: async () => ({ ticket: ticket('1001') }), shown, settleTimeoutMs: 3000, cooldownMs: 0 });
    const p = desk.perform('call-next');
    await vi.advanceTimersByTimeAsync(2999);
    expect(desk.busy).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(await p).toMatchObject({ kind: 'done' });
    expect(desk.busy).toBe(false);
  });

  it('a refused action frees the desk at once and hands back the server’s error', async () => {
    const shown = new ShownTicket();
    const desk = new DeskActions({
      send: async () => {
        throw new StaleError();
      },
      shown,
      cooldownMs: 0,
    });
    const r = await desk.perform('complete');
    expect(r.kind).toBe('failed');
    expect(r.kind === 'failed' && (r.error as StaleError).code).toBe('STALE_REQUEST');
    expect(desk.busy).toBe(false);
  });

  it('two tabs of one counter press "call next" at once: one citizen called, the other tab refused', async () => {
    const server = fakeCounter(['1001', '1002', '1003']);
    const tabA = new ShownTicket();
    const tabB = new ShownTicket();
    // B's request is slower on the way: both were pressed while the counter showed nobody.
    const gate = deferred<void>();
    const deskA = new DeskActions({ send: server.send, shown: tabA, settleTimeoutMs: 50, cooldownMs: 0 });
    const deskB = new DeskActions({ send: async (a, b) => gate.promise.then(() => server.send(a, b)), shown: tabB, settleTimeoutMs: 50, cooldownMs: 0 });
    const b = deskB.perform('call-next');
    const a = deskA.perform('call-next');
    tabA.set('1001');
    expect(await a).toMatchObject({ kind: 'done' });
    gate.resolve();
    const rb = await b;
    expect(rb.kind).toBe('failed');
    expect(server.applied).toEqual(['call-next']);
    expect(server.current()).toBe('1001');
  });

  it('ShownTicket.waitFor resolves at once when already shown, and only for the awaited ticket', async () => {
    const shown = new ShownTicket();
    shown.set('a');
    expect(await shown.waitFor('a', 10)).toBe(true);
    vi.useFakeTimers();
    const w = shown.waitFor('b', 1000);
    shown.set(null);
    shown.set('c');
    await vi.advanceTimersByTimeAsync(999);
    shown.set('b');
    expect(await w).toBe(true);
  });
});
