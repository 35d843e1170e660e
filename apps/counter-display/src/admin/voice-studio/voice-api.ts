import { createHttpClient } from '@luot/client';

/**
 * The voice studio's calls to /api/v1/voice (apps/server/src/http/voice.routes.ts). Its own HTTP
 * client: the admin session's `call` speaks JSON with GET/POST/PATCH only, and a whole voice can
 * take longer than a form to upload on a slow LAN.
 */
const http = createHttpClient({ timeoutMs: 60_000 });

export const LANG = 'vi';

export type ClipGroup = 'sound' | 'phrase' | 'number' | 'letter';

/** One clip of the TV's list, with the center's own recording if it has one. */
export interface ClipInfo {
  clip: string;
  text: string;
  group: ClipGroup;
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

/** The one-file form of a voice (apps/server/src/voice/pack.ts). */
export interface VoicePackFile {
  format: 'luot-voice';
  version: 1;
  lang: string;
  exportedAt?: string;
  center?: string;
  clips: Record<string, { text?: string; wav: string }>;
}

export const voiceApi = {
  overview: (token: string) => http.request<VoiceOverview>('GET', `/voice/${LANG}`, { token }),
  install: (token: string, pack: VoicePackFile) => http.request<VoiceOverview & { installed: string[] }>('POST', `/voice/${LANG}/pack`, { token, body: pack }),
  removeClip: (token: string, clip: string) => http.request<VoiceOverview & { removed: string[] }>('DELETE', `/voice/${LANG}/clips/${encodeURIComponent(clip)}`, { token }),
  removeAll: (token: string) => http.request<VoiceOverview & { removed: string[] }>('DELETE', `/voice/${LANG}`, { token }),
};

/**
 * Where the page (and the TV) gets a clip as installed now: the center's recording when it has
 * one, else the built-in clip, both through /voice/<lang>/ (the server picks). The version makes
 * the URL new after every install, so no cache answers with the old sound.
 */
export function installedClipUrl(c: ClipInfo, version: string): string {
  return `/voice/${LANG}/${c.clip}.${c.custom?.format ?? 'ogg'}?v=${encodeURIComponent(version)}`;
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
