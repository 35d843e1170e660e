import { createHttpClient } from '@luot/client';
import { ROUTES, type ClipInfo, type VoicePackFile } from '@luot/protocol';

/**
 * The voice studio's calls to /api/v1/voice (apps/server/src/http/voice.routes.ts), by the
 * protocol's route table, which also holds their shapes. Its own HTTP client: a whole voice can
 * take longer than a form to upload on a slow LAN.
 */
const http = createHttpClient({ timeoutMs: 60_000 });

export const LANG = 'vi';

export type { ClipGroup, ClipInfo, VoiceOverview, VoicePackFile } from '@luot/protocol';

export const voiceApi = {
  overview: (token: string) => http.call(ROUTES.voice, { token, params: { lang: LANG } }),
  install: (token: string, pack: VoicePackFile) => http.call(ROUTES.importVoice, { token, params: { lang: LANG }, body: pack }),
  removeClip: (token: string, clip: string) => http.call(ROUTES.removeClip, { token, params: { lang: LANG, clip } }),
  removeAll: (token: string) => http.call(ROUTES.resetVoice, { token, params: { lang: LANG } }),
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
