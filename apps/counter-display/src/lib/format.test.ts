import { describe, expect, it } from 'vitest';
import { formatDuration, formatServerTime } from './format.js';

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [999, '0:00'],
    [7_000, '0:07'],
    [187_000, '3:07'],
    [3_723_000, '1:02:03'],
    [-5_000, '0:00'],
  ])('%i ms is %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('formatServerTime', () => {
  it("shows the center's wall clock as the server wrote it, whatever the browser's zone", () => {
    expect(formatServerTime('2026-11-23T09:39:53.000+07:00')).toBe('09:39:53 23/11/2026');
    expect(formatServerTime('not a time')).toBe('not a time');
  });
});
