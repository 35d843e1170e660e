import type { Draft } from './drafts.js';
import { fromBase64, LANG, toBase64, type ClipInfo, type VoicePackFile } from './voice-api.js';

/**
 * The studio's side of the one-file voice (apps/server/src/voice/pack.ts is the reference and
 * checks every byte again on install): drafts packed for installing, and a file from another
 * center unpacked into drafts, so it can be listened to before it is installed.
 */
export function packOf(drafts: readonly Draft[], clips: readonly ClipInfo[]): VoicePackFile {
  const text = new Map(clips.map((c) => [c.clip, c.text]));
  const pack: VoicePackFile = { format: 'luot-voice', version: 1, lang: LANG, clips: {} };
  for (const d of drafts) pack.clips[d.clip] = { text: text.get(d.clip) ?? d.clip, wav: toBase64(d.wav) };
  return pack;
}

export class PackFileError extends Error {
  constructor(
    readonly vi: string,
    readonly en: string,
  ) {
    super(en);
  }
}

const isWav = (b: Uint8Array) => b.length > 12 && String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WAVE';

/** A voice file's clips as drafts; throws PackFileError for a file that is not one. */
export function draftsFromPack(text: string, known: readonly ClipInfo[], now: number): { drafts: Draft[]; skipped: string[]; center?: string } {
  let pack: Partial<VoicePackFile>;
  try {
    pack = JSON.parse(text) as Partial<VoicePackFile>;
  } catch {
    pack = {};
  }
  if (pack?.format !== 'luot-voice' || typeof pack.clips !== 'object' || pack.clips === null) {
    throw new PackFileError('Tệp này không phải tệp giọng đọc của Lượt (luot-voice).', 'This is not a Luot voice file (luot-voice).');
  }
  if (pack.version !== 1) throw new PackFileError(`Tệp giọng đọc phiên bản ${String(pack.version)}: trang này đọc phiên bản 1.`, `Voice file version ${String(pack.version)}: this page reads version 1.`);
  if (pack.lang !== LANG) throw new PackFileError(`Tệp giọng đọc dành cho ngôn ngữ "${String(pack.lang)}".`, `The voice file is for language "${String(pack.lang)}".`);
  const names = new Set(known.map((c) => c.clip));
  const drafts: Draft[] = [];
  const skipped: string[] = [];
  for (const [clip, entry] of Object.entries(pack.clips)) {
    let wav: Uint8Array | null = null;
    try {
      wav = names.has(clip) && typeof entry?.wav === 'string' ? fromBase64(entry.wav) : null;
    } catch {
      wav = null;
    }
    if (!wav || !isWav(wav)) skipped.push(clip);
    else drafts.push({ clip, wav, report: null, source: 'import', savedAt: now });
  }
  if (drafts.length === 0) throw new PackFileError('Tệp giọng đọc không có đoạn ghi âm nào dùng được.', 'The voice file has no usable clips.');
  return { drafts, skipped, ...(typeof pack.center === 'string' ? { center: pack.center } : {}) };
}
