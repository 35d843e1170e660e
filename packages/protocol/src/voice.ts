import { z } from 'zod';

/**
 * The voice studio's shapes (/api/v1/voice, docs/voice.md): the clips the TV reads, the center's
 * own recordings of them, and the one-file form of a voice. The server builds them
 * (apps/server/src/voice), the admin's studio reads them.
 */

export const VoiceLangParam = z.strictObject({ lang: z.string() });
export const VoiceClipParam = z.strictObject({ lang: z.string(), clip: z.string() });

export type ClipGroup = 'sound' | 'phrase' | 'number' | 'letter';

/** One clip of the TV's list, with the center's own recording if it has one. */
export interface ClipInfo {
  clip: string;
  /** What the clip says, Vietnamese (the chime: a description). */
  text: string;
  group: ClipGroup;
  /** Not in the TV's default reading (the chime, "lẻ", "nhăm"): recorded only if wanted. */
  optional: boolean;
  custom: { format: 'wav' | 'ogg' | 'mp3'; bytes: number; updatedAt: string } | null;
}

export interface VoiceOverview {
  lang: string;
  /** Changes with every install or removal; the TV compares it before each announcement. */
  version: string;
  clips: ClipInfo[];
  limits: { maxClipBytes: number; maxClipSeconds: number; maxPackBytes: number };
}

/** GET /voice/:lang/version: what the TV checks before each announcement. */
export interface VoiceVersion {
  version: string;
}
export type VoiceInstalled = VoiceOverview & { installed: string[] };
export type ClipInstalled = VoiceInstalled & { durationMs: number };
export type VoiceRemoved = VoiceOverview & { removed: string[] };

/** The one-file form of a voice (apps/server/src/voice/pack.ts): JSON, each clip's WAV in base64. */
export interface VoicePackFile {
  format: 'luot-voice';
  version: 1;
  lang: string;
  exportedAt?: string;
  center?: string;
  clips: Record<string, { text?: string; wav: string }>;
}
