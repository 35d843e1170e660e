import { describe, expect, it } from 'vitest';
import { compareUsernames, usernameKey, usernameSkeleton } from './username.js';

describe('usernameKey', () => {
  it('makes Vietnamese names one user in any case', () => {
    expect(usernameKey('Đức')).toBe('đức');
    expect(usernameKey('ĐỨC')).toBe('đức');
    expect(usernameKey('NguyễnVănAn')).toBe(usernameKey('nguyễnvănan'));
  });
  it('makes the decomposed spelling (as a Mac keyboard types it) the same as the precomposed one', () => {
    const decomposed = 'Đức'.normalize('NFD');
    expect(decomposed).not.toBe('Đức');
    expect(usernameKey(decomposed)).toBe('đức');
  });
  it('folds case fully, not only ASCII, and maps full-width letters', () => {
    expect(usernameKey('Straße')).toBe(usernameKey('STRASSE'));
    expect(usernameKey('ΣΟΦΟΣ')).toBe(usernameKey('σοφος'));
    expect(usernameKey('ａｄｍｉｎ')).toBe('admin');
    expect(usernameKey('  admin ')).toBe('admin');
    // Dotless ı upper-cases to I: one user with "i", which is also what a reader would take it for.
    expect(usernameKey('ad\u0131min')).toBe('adimin');
  });
  it('keeps different Vietnamese names apart (marks are part of the name)', () => {
    expect(usernameKey('lan')).not.toBe(usernameKey('lân'));
    expect(usernameKey('hung')).not.toBe(usernameKey('hùng'));
    expect(usernameKey('duc')).not.toBe(usernameKey('đức'));
  });
});

describe('usernameSkeleton and compareUsernames', () => {
  it('finds a Cyrillic or Greek look-alike of a Latin name', () => {
    expect(usernameSkeleton('\u0430dmin')).toBe('admin'); // Cyrillic а
    expect(compareUsernames('\u0430dmin', 'admin')).toBe('confusable');
    expect(compareUsernames('c\u0430nb\u043e1', 'canbo1')).toBe('confusable'); // Cyrillic а and о
    expect(compareUsernames('\u0391DMIN', 'admin')).toBe('confusable'); // Greek capital Alpha
    expect(compareUsernames('\u0421\u0410N\u0412\u041e1', 'canbo1')).toBe('confusable'); // Cyrillic С А В О in capitals
    expect(compareUsernames('\u0251dmin', 'admin')).toBe('confusable'); // Latin alpha ɑ
  });
  it('sees through marks: a look-alike base letter with a mark matches the Latin letter with it', () => {
    expect(compareUsernames('\u0451lena', 'ëlena')).toBe('confusable'); // Cyrillic ё
    expect(compareUsernames('\u0441\u1ee9c', 'cức')).toBe('confusable');
  });
  it('calls the same name "same", not "confusable"', () => {
    expect(compareUsernames('ADMIN', 'admin')).toBe('same');
    expect(compareUsernames('Đức', 'đức')).toBe('same');
  });
  it('leaves ordinary different names distinct, including same-script digit and letter pairs', () => {
    expect(compareUsernames('canbo1', 'canbo2')).toBe('distinct');
    expect(compareUsernames('canbo1', 'canbol')).toBe('distinct');
    expect(compareUsernames('lan', 'lân')).toBe('distinct');
    expect(compareUsernames('duc', 'đức')).toBe('distinct');
    // A name wholly in Cyrillic that imitates no Latin name stays a name of its own.
    expect(compareUsernames('\u0431\u043e\u0440\u0438\u0441', 'boris')).toBe('distinct');
  });
});
