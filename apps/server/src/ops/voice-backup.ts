import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isKnownClip, VOICE_LANGS, type VoiceLang } from '../voice/clips.js';
import { buildPack, PACK_FORMAT, parsePack, type VoicePack } from '../voice/pack.js';
import { VoiceRefusal } from '../voice/refusal.js';
import { createVoiceStore } from '../voice/store.js';
import { fsyncFile } from './files.js';

/**
 * The center's own voice (the voice studio's recordings, docs/voice.md) in its backups: one file
 * per language beside the database backup, `luot-2026-03-04-020000.voice-vi.json`, in the
 * studio's export format (so the studio's import reads it too), and read back by a restore.
 */

/** The voice folder of a data directory (main.ts serves the center's clips from there). */
export const voiceDirOf = (dataDir: string) => join(dataDir, 'voice');

/** A voice file beside a database backup: the backup's name and the language. */
export const VOICE_BACKUP_FILE = /^(luot-\d{4}-\d{2}-\d{2}-\d{6}(?:-\d+)?)\.voice-([a-z]{2,3})\.json$/;

/** luot-…-020000.sqlite → luot-…-020000.voice-vi.json (null for a file not named like a backup). */
export function voiceBackupFileOf(dbBackup: string, lang: VoiceLang): string | null {
  return dbBackup.endsWith('.sqlite') ? `${dbBackup.slice(0, -'.sqlite'.length)}.voice-${lang}.json` : null;
}

/**
 * The studio's pack plus the clips placed by hand in another format (Ogg, MP3), which a pack
 * does not carry: a restore must bring back the folder as it was. The studio's import ignores
 * the extra key (it reads the WAV clips only).
 */
export interface VoiceBackupFile extends VoicePack {
  otherFormats?: Record<string, { format: 'ogg' | 'mp3'; data: string }>;
}

export interface VoiceSnapshot {
  lang: VoiceLang;
  wav: { clip: string; bytes: Uint8Array }[];
  other: { clip: string; format: 'ogg' | 'mp3'; bytes: Uint8Array }[];
}

/**
 * The center's own clips of every language that has some, each file read whole. The studio may
 * install clips meanwhile (the nightly backup runs in the server): read again until the folder's
 * version did not change during the read, so the backup holds one voice, not a mix.
 */
export function readCenterVoice(voiceDir: string): VoiceSnapshot[] {
  if (!existsSync(voiceDir)) return [];
  const store = createVoiceStore(voiceDir, { settle: false });
  const out: VoiceSnapshot[] = [];
  for (const lang of VOICE_LANGS) {
    for (let attempt = 1; ; attempt++) {
      const before = store.version(lang);
      const snap: VoiceSnapshot = { lang, wav: [], other: [] };
      try {
        for (const c of store.list(lang)) {
          const bytes = store.read(lang, c.clip, c.format);
          if (c.format === 'wav') snap.wav.push({ clip: c.clip, bytes });
          else snap.other.push({ clip: c.clip, format: c.format, bytes });
        }
      } catch (err) {
        // A clip replaced between the listing and the read (the studio renames over it): again.
        if ((err as NodeJS.ErrnoException).code === 'ENOENT' && attempt < 5) continue;
        throw err;
      }
      if (store.version(lang) !== before && attempt < 5) continue;
      if (snap.wav.length + snap.other.length > 0) out.push(snap);
      break;
    }
  }
  return out;
}

export interface VoiceFileWritten {
  lang: VoiceLang;
  /** The final name (written as `<file>.partial` first). */
  file: string;
  partial: string;
  clips: number;
  bytes: number;
}

/** Writes each language's voice file as `<name>.partial`, flushed; the caller renames them. */
export function writeVoicePartials(snaps: readonly VoiceSnapshot[], dbBackup: string, meta: { exportedAt: string; center?: string }): VoiceFileWritten[] {
  const out: VoiceFileWritten[] = [];
  for (const s of snaps) {
    const file = voiceBackupFileOf(dbBackup, s.lang)!;
    const body: VoiceBackupFile = buildPack(s.lang, s.wav, meta);
    if (s.other.length) body.otherFormats = Object.fromEntries(s.other.map((o) => [o.clip, { format: o.format, data: Buffer.from(o.bytes).toString('base64') }]));
    const json = JSON.stringify(body);
    const partial = `${file}.partial`;
    out.push({ lang: s.lang, file, partial, clips: s.wav.length + s.other.length, bytes: Buffer.byteLength(json) });
    writeFileSync(partial, json, { flag: 'wx' });
    fsyncFile(partial);
  }
  return out;
}

export class VoiceBackupDamaged extends Error {}

export interface VoiceToRestore {
  lang: VoiceLang;
  file: string;
  /** The files of the language's folder, as they were: `intro.wav`, `hai.ogg`... */
  files: { name: string; bytes: Uint8Array }[];
}

/** Far above a real voice (1-3 MB) and the studio's 16 MB pack limit with its other formats. */
const MAX_VOICE_FILE_BYTES = 64 * 1024 * 1024;
const MAX_OTHER_CLIP_BYTES = 8 * 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The voice files beside a database backup, read and checked whole before a restore changes
 * anything: every clip a known name and, for WAV, a clip the TV can play (the studio's own
 * check). A damaged file throws VoiceBackupDamaged; none beside the backup gives [].
 */
export function readVoiceBackups(dbBackup: string): VoiceToRestore[] {
  const out: VoiceToRestore[] = [];
  for (const lang of VOICE_LANGS) {
    const file = voiceBackupFileOf(dbBackup, lang);
    if (!file || !existsSync(file)) continue;
    const bad = (why: string) => new VoiceBackupDamaged(`the voice file ${file} cannot be restored (${why})`);
    if (statSync(file).size > MAX_VOICE_FILE_BYTES) throw bad(`larger than ${MAX_VOICE_FILE_BYTES / 1024 / 1024} MB`);
    let body: VoiceBackupFile;
    try {
      body = JSON.parse(readFileSync(file, 'utf8')) as VoiceBackupFile;
    } catch (err) {
      throw bad(`not JSON: ${(err as Error).message}`);
    }
    if (!body || typeof body !== 'object' || body.format !== PACK_FORMAT) throw bad('not a luot-voice file');
    const files: VoiceToRestore['files'] = [];
    if (body.clips && typeof body.clips === 'object' && Object.keys(body.clips).length > 0) {
      try {
        for (const c of parsePack(body, lang)) files.push({ name: `${c.clip}.wav`, bytes: c.bytes });
      } catch (err) {
        if (err instanceof VoiceRefusal) throw bad(err.en);
        throw err;
      }
    }
    for (const [clip, o] of Object.entries(body.otherFormats ?? {})) {
      if (!isKnownClip(clip)) throw bad(`unknown clip ${clip.slice(0, 60)}`);
      if (!o || (o.format !== 'ogg' && o.format !== 'mp3') || typeof o.data !== 'string' || !BASE64.test(o.data)) throw bad(`clip ${clip} is not an Ogg or MP3 in base64`);
      if ((o.data.length / 4) * 3 > MAX_OTHER_CLIP_BYTES) throw bad(`clip ${clip} is larger than ${MAX_OTHER_CLIP_BYTES / 1024 / 1024} MB`);
      files.push({ name: `${clip}.${o.format}`, bytes: new Uint8Array(Buffer.from(o.data, 'base64')) });
    }
    if (files.length === 0) throw bad('it holds no clips');
    out.push({ lang, file, files });
  }
  return out;
}
