import { ratingForm } from '@luot/protocol';
import { describe, expect, it } from 'vitest';
import { ASK, stepAfterAnswer, stepFor } from './rating-flow.js';

const ID = 'Ab3dEf6hIj9kLm2nOp5q_-';

describe('the phone page rating', () => {
  it('offers the center’s levels only while the rating is open', () => {
    const form = ratingForm(3);
    expect(stepFor({ ticketId: ID, state: 'open', form, closesAt: '2026-11-23T11:00:00.000+07:00' })).toEqual({ kind: 'ask', form });
    expect(stepFor({ ticketId: ID, state: 'not_served' })).toEqual({ kind: 'none' });
    expect(stepFor({ ticketId: ID, state: 'closed' })).toEqual({ kind: 'none' });
    expect(stepFor(null)).toEqual({ kind: 'none' });
    // Rated already (here or on the tablet): thanks, never the form again.
    expect(stepFor({ ticketId: ID, state: 'rated', rating: { ticketId: ID, scale: 3, level: 'satisfied', satisfied: true, asksReason: false, reason: null } })).toEqual({ kind: 'thanks' });
  });

  it('asks the reason after Không hài lòng (and below), and only then', () => {
    const form = ratingForm(5);
    const answer = (level: 'dissatisfied' | 'very_dissatisfied' | 'neutral', asksReason: boolean) => ({ ticketId: ID, scale: 5 as const, level, satisfied: false, asksReason, reason: null });
    expect(stepAfterAnswer(answer('very_dissatisfied', true), form)).toEqual({ kind: 'reason', form });
    expect(stepAfterAnswer(answer('neutral', false), form)).toEqual({ kind: 'thanks' });
    expect(form.levels.filter((l) => l.asksReason).map((l) => l.vi)).toEqual(['Không hài lòng', 'Rất không hài lòng']);
  });

  it('asks about the service at the counter, not the dossier', () => {
    expect(ASK.vi).toBe('Quý công dân có hài lòng với sự phục vụ tại quầy không?');
    expect(ASK.vi).not.toContain('hồ sơ');
  });
});
