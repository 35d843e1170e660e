import { allAnnouncementClips } from '@luot/domain';

/**
 * The clips a center may record, as the TV uses them (docs/voice.md): the chime, the two fixed
 * phrases, the number words and the letter names. Names are the TV's file names without the
 * extension (Telex spelling), so they are plain ASCII and safe as file names.
 */
export type ClipGroup = 'sound' | 'phrase' | 'number' | 'letter';

export interface VoiceClip {
  clip: string;
  /** What the clip says, Vietnamese (the chime: a description). */
  text: string;
  group: ClipGroup;
  /**
   * Not used by the TV's default reading: "lẻ" and "nhăm" (the southern and colloquial options),
   * and the chime, which has a built-in sound and is not a word. A center records them only if
   * it wants them.
   */
  optional: boolean;
}

/** The only languages the TV reads in. */
export const VOICE_LANGS = ['vi'] as const;
export type VoiceLang = (typeof VOICE_LANGS)[number];

export function isVoiceLang(lang: string): lang is VoiceLang {
  return (VOICE_LANGS as readonly string[]).includes(lang);
}

const OPTIONAL_WORDS = new Set(['ler', 'nhawm']);

/** Every clip name the server accepts for a language, in the order a staff member records them. */
export function voiceClips(): VoiceClip[] {
  const chime: VoiceClip = { clip: 'chime', text: '(tiếng chuông / chime)', group: 'sound', optional: true };
  const parts = allAnnouncementClips().map(({ clip, text }): VoiceClip => {
    const group: ClipGroup = clip === 'intro' || clip === 'to-counter' ? 'phrase' : clip.startsWith('letter-') ? 'letter' : 'number';
    return { clip, text, group, optional: OPTIONAL_WORDS.has(clip) };
  });
  return [...parts, chime];
}

const KNOWN = new Set(voiceClips().map((c) => c.clip));

/** A clip name the TV can ask for: checked against the list, never used as a path before that. */
export function isKnownClip(name: string): boolean {
  return KNOWN.has(name);
}
