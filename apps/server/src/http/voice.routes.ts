import { ROUTES, type VoiceOverview } from '@luot/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { actorIds } from '../queue/actor.js';
import { isKnownClip, isVoiceLang, voiceClips, type VoiceLang } from '../voice/clips.js';
import { buildPack, MAX_PACK_BYTES, parsePack } from '../voice/pack.js';
import { VoiceRefusal } from '../voice/refusal.js';
import { createVoiceStore } from '../voice/store.js';
import { MAX_CLIP_BYTES, MAX_CLIP_SECONDS, parseWav, WavError } from '../voice/wav.js';
import { route } from './route.js';

export interface VoiceRoutesOptions {
  /** `<data dir>/voice`: the folder the pages serve a center's own clips from (http/pages.ts). */
  voiceDir: string;
}

const MB = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

function langOf(raw: string): VoiceLang {
  if (!isVoiceLang(raw)) throw new VoiceRefusal(`Unknown voice language "${raw.slice(0, 20)}".`, `Không có giọng đọc cho ngôn ngữ "${raw.slice(0, 20)}".`, [{ path: 'lang', message: 'unknown' }]);
  return raw;
}

/** The name is matched against the TV's list before it comes near a path ("../x", "%2F", ...). */
function clipOf(raw: string): string {
  if (!isKnownClip(raw)) {
    throw new VoiceRefusal(`"${raw.slice(0, 40)}" is not a clip the TV uses.`, `"${raw.slice(0, 40)}" không phải tên đoạn ghi âm mà màn hình TV dùng.`, [{ path: 'clip', message: 'unknown clip name' }]);
  }
  return raw;
}

/**
 * Refused before the body is read when its declared length is over the cap (Fastify's bodyLimit
 * still stops a body sent without a length), with the cap said in both languages.
 */
function capBody(max: number, what: { en: string; vi: string }) {
  return async (req: FastifyRequest) => {
    const length = Number(req.headers['content-length']);
    if (Number.isFinite(length) && length > max) {
      throw new VoiceRefusal(`${what.en} is too large (${MB(length)}); at most ${MB(max)}.`, `${what.vi} quá lớn (${MB(length)}); tối đa ${MB(max)}.`, [{ path: '(body)', message: 'too large' }]);
    }
  };
}

/**
 * The voice studio's API under /api/v1/voice (docs/voice.md): the center's own recordings,
 * installed as WAV into the voice folder the TVs read clips from, exported and imported as one
 * file. Admin only, except the version a TV checks before each announcement.
 */
export function voiceRoutes(app: FastifyInstance, ctx: AppContext, opts: VoiceRoutesOptions): void {
  const store = createVoiceStore(opts.voiceDir);

  const overview = (lang: VoiceLang): VoiceOverview => {
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
  };

  const audit = (req: FastifyRequest, action: string, lang: VoiceLang, detail: unknown) => {
    const { userId } = actorIds(req.actor);
    ctx.repos.audit.add(ctx.clock.now(), userId, action, lang, detail);
  };

  // A scope of its own: the raw-body parser below must not change how other routes read bodies.
  void app.register(async (scope) => {
    // Any content type is read as bytes (up to the route's limit) and judged by its content: a
    // WAV sent as application/octet-stream is fine, an Ogg sent as audio/wav is not.
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    /** The TV's question before each announcement: has the center's voice changed? Public. */
    route(scope, ROUTES.voiceVersion, ({ params, reply }) => {
      void reply.header('cache-control', 'no-store');
      return { version: store.version(langOf(params.lang)) };
    });

    route(scope, ROUTES.voice, ({ params }) => overview(langOf(params.lang)));

    /** One clip, the body a WAV file (curl --data-binary @intro.wav). */
    route(
      scope,
      ROUTES.installClip,
      ({ params, body, req }) => {
        const lang = langOf(params.lang);
        const clip = clipOf(params.clip);
        if (!Buffer.isBuffer(body)) throw new VoiceRefusal('Send the clip as a WAV file.', 'Hãy gửi đoạn ghi âm dưới dạng tệp WAV.', [{ path: '(body)', message: 'not a WAV file' }]);
        const bytes = new Uint8Array(body);
        let durationMs: number;
        try {
          durationMs = parseWav(bytes).durationMs;
        } catch (e) {
          if (e instanceof WavError) throw new VoiceRefusal(e.en, e.vi, [{ path: '(body)', message: e.en }]);
          throw e;
        }
        store.install(lang, [{ clip, bytes }]);
        audit(req, 'voice.install', lang, { clips: [clip] });
        ctx.logger.info({ lang, clips: [clip] }, 'voice clip installed');
        return { installed: [clip], durationMs, ...overview(lang) };
      },
      { fastify: { bodyLimit: MAX_CLIP_BYTES, onRequest: capBody(MAX_CLIP_BYTES, { en: 'The clip', vi: 'Đoạn ghi âm' }) } },
    );

    route(scope, ROUTES.removeClip, ({ params, req }) => {
      const lang = langOf(params.lang);
      const removed = store.remove(lang, [clipOf(params.clip)]);
      if (removed.length) audit(req, 'voice.remove', lang, { clips: removed });
      return { removed, ...overview(lang) };
    });

    /** Back to the built-in voice: every own clip of the language removed. */
    route(scope, ROUTES.resetVoice, ({ params, req }) => {
      const lang = langOf(params.lang);
      const removed = store.remove(lang, store.list(lang).map((c) => c.clip));
      if (removed.length) audit(req, 'voice.remove', lang, { clips: removed });
      return { removed, ...overview(lang) };
    });

    /** The center's own WAV clips as one file (hand-placed Ogg/MP3 files are not in it). */
    route(scope, ROUTES.exportVoice, ({ params, reply }) => {
      const lang = langOf(params.lang);
      const clips = store.list(lang).filter((c) => c.format === 'wav').map((c) => ({ clip: c.clip, bytes: store.read(lang, c.clip, 'wav') }));
      const now = ctx.clock.now();
      const pack = buildPack(lang, clips, { exportedAt: new Date(now).toISOString(), center: ctx.repos.settings.center().centerName });
      const day = ctx.queue.views.iso(now).slice(0, 10);
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="luot-giong-doc-${lang}-${day}.json"`)
        .send(JSON.stringify(pack));
    });

    /**
     * Installs the clips of a pack (the studio's recordings, or a file from another center): all
     * are checked first, and one bad clip refuses the whole file. Clips the pack does not have
     * keep what they were (the center's own recording or the built-in one).
     */
    route(
      scope,
      ROUTES.importVoice,
      ({ params, body: raw, req }) => {
        const lang = langOf(params.lang);
        let body: unknown = raw;
        if (Buffer.isBuffer(body)) {
          try {
            body = JSON.parse(body.toString('utf8'));
          } catch {
            body = null; // refused as "not a voice file" below
          }
        }
        const clips = parsePack(body, lang);
        store.install(lang, clips);
        const names = clips.map((c) => c.clip);
        audit(req, 'voice.install', lang, { clips: names });
        ctx.logger.info({ lang, clips: names }, 'voice installed');
        return { installed: names, ...overview(lang) };
      },
      { fastify: { bodyLimit: MAX_PACK_BYTES, onRequest: capBody(MAX_PACK_BYTES, { en: 'The voice file', vi: 'Tệp giọng đọc' }) } },
    );
  });
}
