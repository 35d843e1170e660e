import { ROUTES } from '@luot/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { isKnownClip, isVoiceLang, type VoiceLang } from '../voice/clips.js';
import { MAX_PACK_BYTES } from '../voice/pack.js';
import { VoiceRefusal } from '../voice/refusal.js';
import { createVoiceStudio } from '../voice/studio.js';
import { MAX_CLIP_BYTES } from '../voice/wav.js';
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
 * The voice studio's API under /api/v1/voice (docs/voice.md), over voice/studio.ts: the center's
 * own recordings, installed as WAV into the voice folder the TVs read clips from, exported and
 * imported as one file. Admin only, except the version a TV checks before each announcement.
 */
export function voiceRoutes(app: FastifyInstance, ctx: AppContext, opts: VoiceRoutesOptions): void {
  const studio = createVoiceStudio({ voiceDir: opts.voiceDir, repos: ctx.repos, clock: ctx.clock, logger: ctx.logger, iso: ctx.queue.views.iso });

  // A scope of its own: the raw-body parser below must not change how other routes read bodies.
  void app.register(async (scope) => {
    // Any content type is read as bytes (up to the route's limit) and judged by its content: a
    // WAV sent as application/octet-stream is fine, an Ogg sent as audio/wav is not.
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    /** The TV's question before each announcement: has the center's voice changed? Public. */
    route(scope, ROUTES.voiceVersion, ({ params, reply }) => {
      void reply.header('cache-control', 'no-store');
      return { version: studio.version(langOf(params.lang)) };
    });

    route(scope, ROUTES.voice, ({ params }) => studio.overview(langOf(params.lang)));

    /** One clip, the body a WAV file (curl --data-binary @intro.wav). */
    route(
      scope,
      ROUTES.installClip,
      ({ actor, params, body }) => {
        const lang = langOf(params.lang);
        const clip = clipOf(params.clip);
        if (!Buffer.isBuffer(body)) throw new VoiceRefusal('Send the clip as a WAV file.', 'Hãy gửi đoạn ghi âm dưới dạng tệp WAV.', [{ path: '(body)', message: 'not a WAV file' }]);
        return studio.installClip(actor, lang, clip, new Uint8Array(body));
      },
      { fastify: { bodyLimit: MAX_CLIP_BYTES, onRequest: capBody(MAX_CLIP_BYTES, { en: 'The clip', vi: 'Đoạn ghi âm' }) } },
    );

    route(scope, ROUTES.removeClip, ({ actor, params }) => {
      const lang = langOf(params.lang);
      return studio.removeClip(actor, lang, clipOf(params.clip));
    });

    /** Back to the built-in voice: every own clip of the language removed. */
    route(scope, ROUTES.resetVoice, ({ actor, params }) => studio.reset(actor, langOf(params.lang)));

    /** The center's own WAV clips as one file, as a download. */
    route(scope, ROUTES.exportVoice, ({ params, reply }) => {
      const { fileName, json } = studio.exportPack(langOf(params.lang));
      return reply.type('application/json; charset=utf-8').header('content-disposition', `attachment; filename="${fileName}"`).send(json);
    });

    /** A voice file (JSON, sent with any content type): one bad clip refuses the whole file. */
    route(
      scope,
      ROUTES.importVoice,
      ({ actor, params, body: raw }) => {
        const lang = langOf(params.lang);
        let body: unknown = raw;
        if (Buffer.isBuffer(body)) {
          try {
            body = JSON.parse(body.toString('utf8'));
          } catch {
            body = null; // refused as "not a voice file" by the studio
          }
        }
        return studio.importPack(actor, lang, body);
      },
      { fastify: { bodyLimit: MAX_PACK_BYTES, onRequest: capBody(MAX_PACK_BYTES, { en: 'The voice file', vi: 'Tệp giọng đọc' }) } },
    );
  });
}
