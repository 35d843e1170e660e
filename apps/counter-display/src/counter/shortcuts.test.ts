import { describe, expect, it } from 'vitest';
import { SHORTCUTS, shortcutFor } from './shortcuts.js';

const key = (k: string, extra: Partial<Parameters<typeof shortcutFor>[0]> = {}) =>
  shortcutFor({ key: k, ctrlKey: false, altKey: false, metaKey: false, repeat: false, ...extra });

describe('counter shortcuts', () => {
  it('maps each letter, either case, to its action', () => {
    expect(key('t')).toBe('call-next');
    expect(key('T')).toBe('call-next');
    expect(key('l')).toBe('recall');
    expect(key('h')).toBe('complete');
    expect(key('v')).toBe('no-show');
    expect(key('c')).toBe('transfer');
    expect(key('s')).toBe('call');
    expect(key('d')).toBe('pause');
    expect(key('q')).toBe('close');
    expect(key('x')).toBeNull();
  });
  it('gives every action its own key', () => {
    expect(new Set(Object.values(SHORTCUTS)).size).toBe(Object.keys(SHORTCUTS).length);
  });
  it('ignores modifiers, held-down repeats and typing in fields', () => {
    expect(key('l', { ctrlKey: true })).toBeNull();
    expect(key('t', { repeat: true })).toBeNull();
    expect(key('t', { targetTag: 'INPUT' })).toBeNull();
    expect(key('t', { targetEditable: true })).toBeNull();
    expect(key('t', { targetTag: 'BUTTON' })).toBe('call-next');
  });
});
