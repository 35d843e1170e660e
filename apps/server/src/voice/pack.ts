import { z } from 'zod';
import { isKnownClip, isVoiceLang, voiceClips, type VoiceLang } from './clips.js';
import { VoiceRefusal } from './refusal.js';
import { MAX_CLIP_BYTES, parseWav, WavError, type WavInfo } from './wav.js';

/**
 * A center's voice as one file, to share between centers: JSON with each clip's WAV in base64.
 * Chosen over a zip: no library, nothing to unpack on disk (so no zip-slip or zip-bomb to guard
 * against), the clip names are plain JSON keys checked against the list, and a voice of ~40
 * short clips is 1-3 MB, where base64's third more does not matter.
 *
 * {
 *   "format": "luot-voice", "version": 1, "lang": "vi",
 *   "exportedAt": "2025-03-01T08:00:00.000Z", "center": "Trung tâm PVHCC ...",
 *   "clips": { "intro": { "text": "Mời công dân có số thứ tự", "wav": "UklGR..." }, ... }
 * }
 */
export const PACK_FORMAT = 'luot-voice';
export const PACK_VERSION = 1;
/** Every clip at its largest would not fit; a real voice (22-48 kHz, ~1 s a word) is far below. */
export const MAX_PACK_BYTES = 16 * 1024 * 1024;

export interface PackClip {
  clip: string;
  bytes: Uint8Array;
  info: WavInfo;
}

export interface VoicePack {
  format: typeof PACK_FORMAT;
  version: typeof PACK_VERSION;
  lang: VoiceLang;
  exportedAt: string;
  center?: string;
  clips: Record<string, { text: string; wav: string }>;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const MAX_BASE64_CHARS = Math.ceil(MAX_CLIP_BYTES / 3) * 4;

const PackShape = z.object({
  format: z.literal(PACK_FORMAT),
  version: z.number().int(),
  lang: z.string(),
  clips: z.record(z.string(), z.object({ text: z.string().max(200).optional(), wav: z.string() })),
});

/** Reads an uploaded pack: every clip must be a known name and a valid WAV; nothing is written. */
export function parsePack(body: unknown, lang: VoiceLang): PackClip[] {
  const shape = PackShape.safeParse(body);
  if (!shape.success) {
    throw new VoiceRefusal('The file is not a Luot voice file (luot-voice JSON).', 'Tệp không phải tệp giọng đọc của Lượt (luot-voice).');
  }
  const pack = shape.data;
  if (pack.version !== PACK_VERSION) {
    throw new VoiceRefusal(`This voice file is format version ${pack.version}; this server reads version ${PACK_VERSION}.`, `Tệp giọng đọc này thuộc phiên bản ${pack.version}; máy chủ chỉ đọc được phiên bản ${PACK_VERSION}.`);
  }
  if (!isVoiceLang(pack.lang) || pack.lang !== lang) {
    throw new VoiceRefusal(`This voice file is for language "${pack.lang}", not "${lang}".`, `Tệp giọng đọc này dành cho ngôn ngữ "${pack.lang}", không phải "${lang}".`);
  }
  const names = Object.keys(pack.clips);
  if (names.length === 0) throw new VoiceRefusal('The voice file has no clips.', 'Tệp giọng đọc không có đoạn ghi âm nào.');
  const issues: { path: string; message: string; vi: string }[] = [];
  const clips: PackClip[] = [];
  for (const name of names) {
    const entry = pack.clips[name] as { wav: string };
    // The name is checked against the list before anything else: it becomes a file name later.
    if (!isKnownClip(name)) {
      issues.push({ path: `clips.${name.slice(0, 60)}`, message: 'unknown clip name', vi: 'tên đoạn ghi âm không có trong danh sách' });
      continue;
    }
    if (entry.wav.length > MAX_BASE64_CHARS || !BASE64.test(entry.wav)) {
      issues.push({ path: `clips.${name}`, message: entry.wav.length > MAX_BASE64_CHARS ? `larger than ${MAX_CLIP_BYTES / 1024 / 1024} MB` : 'not base64', vi: entry.wav.length > MAX_BASE64_CHARS ? `lớn hơn ${MAX_CLIP_BYTES / 1024 / 1024} MB` : 'không phải base64' });
      continue;
    }
    const bytes = new Uint8Array(Buffer.from(entry.wav, 'base64'));
    try {
      clips.push({ clip: name, bytes, info: parseWav(bytes) });
    } catch (e) {
      if (!(e instanceof WavError)) throw e;
      issues.push({ path: `clips.${name}`, message: e.en, vi: e.vi });
    }
  }
  if (issues.length) {
    const list = (key: 'message' | 'vi') => issues.slice(0, 5).map((i) => `${i.path.replace(/^clips\./, '')}: ${i[key]}`).join('; ');
    throw new VoiceRefusal(
      `${issues.length} clip(s) in the voice file refused, nothing installed: ${list('message')}.`,
      `${issues.length} đoạn ghi âm trong tệp không hợp lệ, chưa cài đặt gì: ${list('vi')}.`,
      issues.map(({ path, message }) => ({ path, message })),
    );
  }
  return clips;
}

/** The pack of a center's own clips, for download. */
export function buildPack(lang: VoiceLang, clips: readonly { clip: string; bytes: Uint8Array }[], meta: { exportedAt: string; center?: string }): VoicePack {
  const texts = new Map(voiceClips().map((c) => [c.clip, c.text]));
  const out: VoicePack = { format: PACK_FORMAT, version: PACK_VERSION, lang, exportedAt: meta.exportedAt, clips: {} };
  if (meta.center) out.center = meta.center;
  for (const { clip, bytes } of clips) out.clips[clip] = { text: texts.get(clip) ?? clip, wav: Buffer.from(bytes).toString('base64') };
  return out;
}
