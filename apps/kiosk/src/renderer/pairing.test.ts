import { describe, expect, it } from 'vitest';
import { readTuning } from './pairing.js';

describe('the kiosk tuning read from its address', () => {
  it('keeps the real kiosk values when the address says nothing: 45 s idle, 15 s ticket, 20 s before giving up a tap', () => {
    expect(readTuning('')).toEqual({ idleMs: 45_000, ticketMs: 15_000, giveUpMs: 20_000 });
  });

  it('takes a shorter give-up for tests and demos, within bounds; a stray value keeps the default', () => {
    expect(readTuning('?giveUpMs=4000').giveUpMs).toBe(4000);
    expect(readTuning('?giveUpMs=10').giveUpMs).toBe(20_000);
    expect(readTuning('?giveUpMs=abc').giveUpMs).toBe(20_000);
    expect(readTuning('?giveUpMs=9999999').giveUpMs).toBe(20_000);
  });
});
