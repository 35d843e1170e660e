/**
 * Usernames as people see them, not as bytes: one person, one name, however it was typed, and no
 * second account that only looks like an existing one.
 *
 * - `usernameKey` is what equality means: "Đức", "đức" and "ĐỨC" are one user; so are the
 *   precomposed and the decomposed spellings of the same letters (a Mac keyboard sends the
 *   second), and full-width "ａｄｍｉｎ". It follows RFC 8265's UsernameCaseMapped profile in spirit:
 *   compatibility/width mapping (NFKC), Unicode case folding, then NFC.
 * - `usernameSkeleton` is what confusability means (after UTS #39's skeleton): letters from
 *   Cyrillic, Greek and a few Latin variants that look like Latin letters are mapped to them, so
 *   "аdmin" with a Cyrillic "а" has the skeleton of "admin". Two names with one skeleton and two
 *   keys are confusable: the second is refused.
 *
 * The map below is deliberately small (the letters an attacker would reach for to imitate a Latin
 * or Vietnamese name) and is not the full Unicode confusables table: that table also maps
 * same-script look-alikes such as "rn"/"m" and "1"/"l", which would refuse ordinary names like
 * "canbo1" next to "canbol". See docs/adr/0009-sign-in-and-sessions.md.
 *
 * Skeletons are for comparison only; never show one to a person.
 */

/** The comparison form of a username: NFKC, case-folded, NFC. */
export function usernameKey(name: string): string {
  // JavaScript has no casefold(); upper-then-lower gives Unicode full case folding for every
  // letter a username here can hold (ß→ss, ς→σ, ǅ→ǆ, İ→i̇), and NFC puts back together what the
  // case mapping took apart (ǰ→J̌→ǰ).
  return name.trim().normalize('NFKC').toUpperCase().toLowerCase().normalize('NFC');
}

/**
 * Look-alikes of Latin letters, keyed by the case-folded letter. Uppercase look-alikes are listed
 * by their folded (lowercase) form: "В" folds to "в", which must still match "b" because the
 * name may be shown as typed, in capitals. Letters with marks need no entry: the skeleton is
 * taken on the decomposed (NFD) form, so "ё" becomes "е" + "̈" and then "e" + "̈", the same as "ë".
 */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  // Cyrillic
  а: 'a', в: 'b', ь: 'b', с: 'c', ԁ: 'd', е: 'e', һ: 'h', н: 'h', і: 'i', ј: 'j', к: 'k', ӏ: 'l',
  м: 'm', п: 'n', о: 'o', р: 'p', ԛ: 'q', г: 'r', ѕ: 's', т: 't', у: 'y', ү: 'y', ԝ: 'w', х: 'x',
  // Greek
  α: 'a', β: 'b', ϲ: 'c', ε: 'e', η: 'h', ι: 'i', ϳ: 'j', κ: 'k', μ: 'm', ο: 'o', ρ: 'p', τ: 't',
  υ: 'u', ν: 'v', ω: 'w', χ: 'x', γ: 'y', ζ: 'z',
  // Armenian
  օ: 'o', ս: 'u', հ: 'h',
  // Latin variants that read as the plain letter (dotless ı needs none: it folds to "i" in the key)
  ɑ: 'a', ɡ: 'g', ǀ: 'l', ʜ: 'h', ɪ: 'i', ʟ: 'l', ᴏ: 'o', ꜱ: 's',
};

/** The skeleton of a username: its key, decomposed, with every look-alike replaced by its Latin letter. */
export function usernameSkeleton(name: string): string {
  let out = '';
  for (const ch of usernameKey(name).normalize('NFD')) out += LOOK_ALIKES[ch] ?? ch;
  return out.normalize('NFD');
}

/** How a new name stands against an existing one: the same user, a look-alike, or unrelated. */
export function compareUsernames(candidate: string, existing: string): 'same' | 'confusable' | 'distinct' {
  if (usernameKey(candidate) === usernameKey(existing)) return 'same';
  return usernameSkeleton(candidate) === usernameSkeleton(existing) ? 'confusable' : 'distinct';
}
