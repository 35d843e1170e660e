import type { VoiceOverview } from '@luot/protocol';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Repos } from '../db/repos.js';
import { actorIds, type Actor } from '../queue/actor.js';
import { voiceClips, type VoiceLang } from './clips.js';
import { buildPack, MAX_PACK_BYTES, parsePack } from './pack.js';
import { VoiceRefusal } from './refusal.js';
import { createVoiceStore } from './store.js';
import { MAX_CLIP_BYTES, MAX_CLIP_SECONDS, parseWav, WavError } from './wav.js';

export interface VoiceStudioDeps {
  /** `<data dir>/voice`: the folder the pages serve a center's own clips from (http/pages.ts). */
  voiceDir: string;
  repos: Repos;
  clock: Clock;
  logger: Pick<Logger, 'info'>;
  /** A time as the center's local ISO string (queue views): the export's file name carries the day. */
  iso: (ms: number) => string;
}

/**
 * The voice studio's use cases (docs/voice.md): the center's own recordings, installed as WAV
 * into the voice folder the TVs read clips from, removed, and exported and imported as one file.
 * Each change is audited and answered with the language's new overview. Languages and clip names
 * come checked (the route matches them against the TV's list before they come near a path).
 */
export function createVoiceStudio({ voiceDir, repos, clock, logger, iso }: VoiceStudioDeps) {
  const store = createVoiceStore(voiceDir);

  const audit = (actor: Actor, action: string, lang: VoiceLang, detail: unknown) => repos.audit.add(clock.now(), actorIds(actor).userId, action, lang, detail);

  function overview(lang: VoiceLang): VoiceOverview {
    const own = new Map(store.list(lang).map((c) => [c.clip, c]));
    return {
      lang,
      version: store.version(lang),
      clips: voiceClips().map((c) => {
        const o = own.get(c.clip);
        return { ...c, custom: o ? { format: o.format, bytes: o.bytes, updatedAt: new Date(o.updatedAt).toISOString() } : null };
      }),
      limits: { maxClipBytes: MAX_CLIP_BYTES, maxClipSeconds: MAX_CLIP_SECONDS, maxPackBytes: MAX_PACK_BYTES },
    };
  }

  /** One clip, a WAV file judged by its content; refused in both languages if it is not one the TV can play. */
  function installClip(actor: Actor, lang: VoiceLang, clip: string, bytes: Uint8Array) {
    let durationMs: number;
    try {
      durationMs = parseWav(bytes).durationMs;
    } catch (e) {
      if (e instanceof WavError) throw new VoiceRefusal(e.en, e.vi, [{ path: '(body)', message: e.en }]);
      throw e;
    }
    store.install(lang, [{ clip, bytes }]);
    audit(actor, 'voice.install', lang, { clips: [clip] });
    logger.info({ lang, clips: [clip] }, 'voice clip installed');
    return { installed: [clip], durationMs, ...overview(lang) };
  }

  function removeClips(actor: Actor, lang: VoiceLang, clips: string[]) {
    const removed = store.remove(lang, clips);
    if (removed.length) audit(actor, 'voice.remove', lang, { clips: removed });
    return { removed, ...overview(lang) };
  }

  /** Back to the built-in voice: every own clip of the language removed. */
  const reset = (actor: Actor, lang: VoiceLang) => removeClips(actor, lang, store.list(lang).map((c) => c.clip));

  /** The center's own WAV clips as one file (hand-placed Ogg/MP3 files are not in it), and its name. */
  function exportPack(lang: VoiceLang): { fileName: string; json: string } {
    const clips = store
      .list(lang)
      .filter((c) => c.format === 'wav')
      .map((c) => ({ clip: c.clip, bytes: store.read(lang, c.clip, 'wav') }));
    const now = clock.now();
    const pack = buildPack(lang, clips, { exportedAt: new Date(now).toISOString(), center: repos.settings.center().centerName });
    return { fileName: `luot-giong-doc-${lang}-${iso(now).slice(0, 10)}.json`, json: JSON.stringify(pack) };
  }

  /**
   * Installs the clips of a pack (the studio's recordings, or a file from another center): all
   * are checked first, and one bad clip refuses the whole file. Clips the pack does not have
   * keep what they were (the center's own recording or the built-in one).
   */
  function importPack(actor: Actor, lang: VoiceLang, body: unknown) {
    const clips = parsePack(body, lang);
    store.install(lang, clips);
    const names = clips.map((c) => c.clip);
    audit(actor, 'voice.install', lang, { clips: names });
    logger.info({ lang, clips: names }, 'voice installed');
    return { installed: names, ...overview(lang) };
  }

  /** The version a TV compares before each announcement: it changes with every install or removal. */
  const version = (lang: VoiceLang) => store.version(lang);
  const removeClip = (actor: Actor, lang: VoiceLang, clip: string) => removeClips(actor, lang, [clip]);

  return { version, overview, installClip, removeClip, reset, exportPack, importPack };
}
export type VoiceStudio = ReturnType<typeof createVoiceStudio>;
