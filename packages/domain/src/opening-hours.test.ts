import { describe, expect, it } from 'vitest';
import { isOpenAt } from './opening-hours.js';

const weekdays = { opensAt: '07:30', closesAt: '17:00', days: [1, 2, 3, 4, 5] };
const at = (local: string) => Date.parse(`${local}+07:00`);

describe('isOpenAt', () => {
  it('is always open without hours', () => {
    expect(isOpenAt(null, at('2026-11-22T03:00:00'), 'Asia/Ho_Chi_Minh')).toBe(true);
  });
  it('opens at opensAt and closes at closesAt, local time', () => {
    expect(isOpenAt(weekdays, at('2026-11-23T07:29:00'), 'Asia/Ho_Chi_Minh')).toBe(false);
    expect(isOpenAt(weekdays, at('2026-11-23T07:30:00'), 'Asia/Ho_Chi_Minh')).toBe(true);
    expect(isOpenAt(weekdays, at('2026-11-23T16:59:00'), 'Asia/Ho_Chi_Minh')).toBe(true);
    expect(isOpenAt(weekdays, at('2026-11-23T17:00:00'), 'Asia/Ho_Chi_Minh')).toBe(false);
  });
  it('is closed on days not listed (Sunday)', () => {
    expect(isOpenAt(weekdays, at('2026-11-22T09:00:00'), 'Asia/Ho_Chi_Minh')).toBe(false);
  });
});
