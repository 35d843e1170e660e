import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fsyncDir, stamp } from '../ops/files.js';
import { isKnownClip, type VoiceLang } from './clips.js';
import { settleVoiceSwap } from './folder-swap.js';

/**
 * A center's own recordings on disk: `<voiceDir>/<lang>/<clip>.<wav|ogg|mp3>`, the folder the
 * page server reads clips from before the built-in ones. The studio installs WAV; a file dropped
 * there by hand (Ogg, MP3, as docs/voice.md long allowed) is listed and kept until replaced.
 */
export const CLIP_FORMATS = ['wav', 'ogg', 'mp3'] as const;
export type ClipFormat = (typeof CLIP_FORMATS)[number];

export interface StoredClip {
  clip: string;
  format: ClipFormat;
  bytes: number;
  updatedAt: number;
}

const FILE = /^([a-z0-9-]{1,40})\.(wav|ogg|mp3)$/;

export function createVoiceStore(voiceDir: string, opts: { settle?: boolean } = {}) {
  // The server's store (created once at start) finishes a voice restore that was interrupted
  // between its two renames (voice/folder-swap.ts), before any TV asks for a clip. A backup's
  // read-only look (settle: false) never moves folders.
  if (opts.settle !== false) {
    try {
      settleVoiceSwap(voiceDir, join(dirname(voiceDir), 'replaced', `voice-before-restore-${stamp(Date.now(), 'UTC')}`));
    } catch {
      // A folder that cannot be moved stays as it is: the next restore settles it, and clips are served from what is there.
    }
  }
  const dirOf = (lang: VoiceLang) => join(voiceDir, lang);

  /** The center's own clips of a language, by name (only names the TV uses). */
  function list(lang: VoiceLang): StoredClip[] {
    const dir = dirOf(lang);
    if (!existsSync(dir)) return [];
    const out: StoredClip[] = [];
    for (const name of readdirSync(dir).sort()) {
      const m = FILE.exec(name);
      if (!m || !isKnownClip(m[1] as string)) continue;
      try {
        const st = statSync(join(dir, name));
        if (st.isFile()) out.push({ clip: m[1] as string, format: m[2] as ClipFormat, bytes: st.size, updatedAt: Math.round(st.mtimeMs) });
      } catch {
        // Removed between the listing and the stat: not there.
      }
    }
    return out;
  }

  /**
   * Changes whenever a clip is installed, replaced or removed, by the studio or by hand: a hash of
   * the folder's clip files (name, size, time, inode; a rename gives a new inode). The TV compares
   * it before each announcement and fetches again the clips it had decoded under another.
   */
  function version(lang: VoiceLang): string {
    const dir = dirOf(lang);
    const h = createHash('sha256');
    for (const c of list(lang)) {
      let ino = 0;
      try {
        ino = statSync(join(dir, `${c.clip}.${c.format}`)).ino;
      } catch {
        /* gone meanwhile */
      }
      h.update(`${c.clip}.${c.format}:${c.bytes}:${c.updatedAt}:${ino}\n`);
    }
    return h.digest('hex').slice(0, 16);
  }

  function read(lang: VoiceLang, clip: string, format: ClipFormat): Uint8Array {
    return new Uint8Array(readFileSync(join(dirOf(lang), `${clip}.${format}`)));
  }

  /**
   * Installs WAV clips. Each file is written beside its final name, flushed, then renamed over
   * it, so the TV never reads half a file; all are written before any is renamed, so a full disk
   * fails the install before it changes anything. A clip's other formats (an older hand-placed
   * Ogg) are removed: one recording per word.
   */
  function install(lang: VoiceLang, clips: readonly { clip: string; bytes: Uint8Array }[]): void {
    const dir = dirOf(lang);
    mkdirSync(dir, { recursive: true });
    const staged: { tmp: string; clip: string }[] = [];
    try {
      for (const { clip, bytes } of clips) {
        if (!isKnownClip(clip)) throw new Error(`unknown clip ${clip}`); // parsePack checked; a second lock on the door
        const tmp = join(dir, `.${clip}.${randomBytes(6).toString('hex')}.tmp`);
        const fd = openSync(tmp, 'wx', 0o644);
        staged.push({ tmp, clip });
        try {
          let at = 0;
          while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
      }
    } catch (err) {
      for (const s of staged) rmSync(s.tmp, { force: true });
      throw err;
    }
    for (const { tmp, clip } of staged) {
      renameSync(tmp, join(dir, `${clip}.wav`));
      for (const other of CLIP_FORMATS) if (other !== 'wav') rmSync(join(dir, `${clip}.${other}`), { force: true });
    }
    fsyncDir(dir);
  }

  /** Removes a center's own clips (all formats): the TV goes back to the built-in ones. */
  function remove(lang: VoiceLang, clips: readonly string[]): string[] {
    const dir = dirOf(lang);
    const removed: string[] = [];
    for (const c of list(lang)) {
      if (!clips.includes(c.clip)) continue;
      rmSync(join(dir, `${c.clip}.${c.format}`), { force: true });
      removed.push(c.clip);
    }
    if (removed.length) fsyncDir(dir);
    return [...new Set(removed)];
  }

  return { list, version, read, install, remove };
}
export type VoiceStore = ReturnType<typeof createVoiceStore>;
