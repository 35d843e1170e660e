import { describe, expect, it } from 'vitest';
import { isFinal, transition, type TicketAction, type TicketStatus } from './ticket.js';

describe('ticket state machine', () => {
  const ok = (from: TicketStatus, a: TicketAction) => transition(from, a, { now: 0, noShowAt: 0, callBackWindowMs: 1 });
  it('moves a ticket through its life', () => {
    expect(ok('waiting', 'call')).toEqual({ ok: true, status: 'called' });
    expect(ok('called', 'recall')).toEqual({ ok: true, status: 'called' });
    expect(ok('called', 'complete')).toEqual({ ok: true, status: 'done' });
    expect(ok('called', 'no_show')).toEqual({ ok: true, status: 'no_show' });
    expect(ok('called', 'transfer')).toEqual({ ok: true, status: 'waiting' });
    expect(ok('waiting', 'cancel')).toEqual({ ok: true, status: 'cancelled' });
  });
  it('never calls a served or cancelled ticket again', () => {
    for (const from of ['done', 'cancelled'] as const) {
      for (const a of ['call', 'recall', 'complete', 'no_show', 'call_back', 'transfer', 'cancel'] as const) {
        expect(ok(from, a).ok).toBe(false);
      }
      expect(isFinal(from)).toBe(true);
    }
    expect(ok('waiting', 'complete').ok).toBe(false);
    expect(ok('waiting', 'recall').ok).toBe(false);
  });
  it('calls a no-show back only inside the window', () => {
    const w = 30 * 60_000;
    expect(transition('no_show', 'call_back', { now: 1000 + w, noShowAt: 1000, callBackWindowMs: w })).toEqual({ ok: true, status: 'called' });
    expect(transition('no_show', 'call_back', { now: 1001 + w, noShowAt: 1000, callBackWindowMs: w }).ok).toBe(false);
    expect(transition('no_show', 'call', { now: 0, noShowAt: 0, callBackWindowMs: w }).ok).toBe(false);
  });
});
