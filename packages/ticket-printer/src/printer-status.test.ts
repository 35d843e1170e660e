import { describe, expect, it } from 'vitest';
import { isStatusByte, parseStatus, statusProblem } from './printer-status.js';

describe('DLE EOT status', () => {
  it('reads an all-clear printer', () => {
    const s = parseStatus({ 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12 });
    expect(statusProblem(s)).toBeNull();
  });

  it('names the most useful problem first: paper end over cover open over offline', () => {
    expect(statusProblem(parseStatus({ 1: 0x1a, 2: 0x12 | 0x20 | 0x04, 3: 0x12, 4: 0x12 }))).toBe('PRINTER_PAPER_END');
    expect(statusProblem(parseStatus({ 1: 0x1a, 2: 0x16, 3: 0x12, 4: 0x12 }))).toBe('PRINTER_COVER_OPEN');
    expect(statusProblem(parseStatus({ 1: 0x1a, 2: 0x12, 3: 0x12, 4: 0x12 }))).toBe('PRINTER_OFFLINE');
    expect(statusProblem(parseStatus({ 1: 0x12, 2: 0x12, 3: 0x12 | 0x08, 4: 0x12 }))).toBe('PRINTER_OFFLINE');
  });

  it('sees paper end from the roll sensor alone, and near end as no reason to stop', () => {
    expect(parseStatus({ 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x72 }).paperEnd).toBe(true);
    const near = parseStatus({ 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1e });
    expect(near.paperNearEnd).toBe(true);
    expect(statusProblem(near)).toBeNull();
  });

  it('tells a status byte from stray data by its fixed bits', () => {
    expect(isStatusByte(0x12)).toBe(true);
    expect(isStatusByte(0x7e)).toBe(true);
    expect(isStatusByte(0x00)).toBe(false);
    expect(isStatusByte(0x93)).toBe(false);
  });
});
