import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdmin } from '../src/bootstrap.js';
import { openDatabase } from '../src/db/open.js';
import { seedDemoIfEmpty } from '../src/demo/seed-demo.js';
import { installErrorHandler } from '../src/http/error-handler.js';
import { bearerToken } from '../src/http/guard.js';
import { voiceRoutes } from '../src/http/voice.routes.js';
import { createServer, type LuotServer } from '../src/server.js';
import { MAX_PACK_BYTES } from '../src/voice/pack.js';
import { MAX_CLIP_BYTES, wavFile } from '../src/voice/wav.js';
import { ADMIN_PASSWORD, tempDataDir } from './helpers/test-server.js';

/**
 * The voice studio's API (voice.routes.ts) over real HTTP, with a real SQLite file, real tokens
 * and a real voice folder on disk: who may use it, what it refuses, what it writes, and a voice
 * exported from one center and imported into another.
 */

interface VoiceServer {
  /** The origin serving /api/v1/voice/... */
  api: string;
  /** The origin serving the pages and /voice/<lang>/<file> clips. */
  pages: string;
  dataDir: string;
  voiceDir: string;
  admin: string;
  officer: string;
  display: string;
  close(): Promise<void>;
}

/**
 * A real server with a voice folder. Until server.ts registers voiceRoutes (the lead adds the
 * line; see the report), the routes run on a second Fastify instance sharing that server's
 * context (same database, tokens, audit log), with the same error handler and sign-in hook.
 */
async function startVoiceServer(): Promise<VoiceServer> {
  const dataDir = tempDataDir();
  const voiceDir = join(dataDir, 'voice');
  const appRoot = join(dataDir, 'app');
  mkdirSync(join(voiceDir, 'vi'), { recursive: true });
  mkdirSync(join(appRoot, 'voice', 'vi'), { recursive: true });
  writeFileSync(join(appRoot, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(appRoot, 'voice', 'vi', 'intro.ogg'), 'OggS-built-in-intro');
  const db = openDatabase(join(dataDir, 'luot.sqlite'));
  const server: LuotServer = await createServer({ db, voiceDir, webRoots: { app: appRoot, kiosk: join(dataDir, 'none') }, kioskRateLimit: null });
  await ensureAdmin(server.ctx.repos, ADMIN_PASSWORD, Date.now());
  const links = await seedDemoIfEmpty(server.ctx.repos, server.ctx.tokens, Date.now());
  const pages = await server.listen(0, '127.0.0.1');
  let side: FastifyInstance | null = null;
  let api = pages;
  if ((await fetch(`${pages}/api/v1/voice/vi/version`)).status === 404) {
    side = Fastify({ bodyLimit: 16 * 1024 });
    installErrorHandler(side);
    side.decorateRequest('actor', null);
    side.addHook('onRequest', async (req) => {
      req.actor = server.ctx.tokens.resolve(bearerToken(req.headers.authorization), Date.now());
    });
    await side.register(async (scope) => voiceRoutes(scope, server.ctx, { voiceDir }), { prefix: '/api/v1' });
    await side.listen({ port: 0, host: '127.0.0.1' });
    api = `http://127.0.0.1:${(side.server.address() as { port: number }).port}`;
  }
  const login = async (username: string, password: string) => {
    const r = await fetch(`${pages}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    return ((await r.json()) as { token: string }).token;
  };
  return {
    api,
    pages,
    dataDir,
    voiceDir,
    admin: await login('admin', ADMIN_PASSWORD),
    officer: await login('canbo1', 'demo'),
    display: links!.displayToken,
    async close() {
      await side?.close();
      await server.close();
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const tone = (seconds: number, rate = 22050, hz = 220) => Int16Array.from({ length: Math.round(seconds * rate) }, (_, i) => Math.round(9000 * Math.sin((2 * Math.PI * hz * i) / rate)));

let a: VoiceServer;
let b: VoiceServer;
beforeAll(async () => {
  a = await startVoiceServer();
  b = await startVoiceServer();
});
afterAll(async () => {
  await a?.close();
  await b?.close();
});

async function call(s: VoiceServer, method: string, path: string, o: { token?: string; body?: string | Buffer; type?: string; json?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...o.headers };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  let body = o.body;
  if (o.json !== undefined) {
    body = JSON.stringify(o.json);
    headers['content-type'] = 'application/json';
  } else if (o.type) headers['content-type'] = o.type;
  const res = await fetch(`${s.api}/api/v1${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text, headers: res.headers };
}

const putClip = (s: VoiceServer, clip: string, bytes: Uint8Array, token = s.admin, type = 'audio/wav') => call(s, 'PUT', `/voice/vi/clips/${clip}`, { token, body: Buffer.from(bytes), type });
const filesIn = (s: VoiceServer) => readdirSync(join(s.voiceDir, 'vi')).sort();

describe('who may use the voice studio', () => {
  const wav = wavFile(tone(0.3), 22050);
  it.each([
    ['GET', '/voice/vi'],
    ['PUT', '/voice/vi/clips/hai'],
    ['DELETE', '/voice/vi/clips/hai'],
    ['DELETE', '/voice/vi'],
    ['GET', '/voice/vi/pack'],
    ['POST', '/voice/vi/pack'],
  ])('%s %s: 401 signed out, 403 for an officer and for a TV', async (method, path) => {
    const body = method === 'PUT' ? { body: Buffer.from(wav), type: 'audio/wav' } : method === 'POST' ? { json: { format: 'luot-voice', version: 1, lang: 'vi', clips: {} } } : {};
    expect((await call(a, method, path, body)).status).toBe(401);
    const officer = await call(a, method, path, { ...body, token: a.officer });
    expect(officer.status).toBe(403);
    expect(officer.json.error.code).toBe('FORBIDDEN');
    expect((await call(a, method, path, { ...body, token: a.display })).status).toBe(403);
    expect(filesIn(a)).toEqual([]);
  });

  it('tells anyone (a TV) the voice version, never cached', async () => {
    const r = await call(a, 'GET', '/voice/vi/version');
    expect(r.status).toBe(200);
    expect(r.json.version).toMatch(/^[0-9a-f]{16}$/);
    expect(r.headers.get('cache-control')).toBe('no-store');
  });
});

describe('installing one clip', () => {
  it('writes the WAV into the voice folder, where the pages serve it, and changes the version', async () => {
    const before = (await call(a, 'GET', '/voice/vi/version')).json.version;
    const wav = wavFile(tone(0.6), 22050);
    const r = await putClip(a, 'hai', wav);
    expect(r.status, r.text).toBe(200);
    expect(r.json.installed).toEqual(['hai']);
    expect(r.json.durationMs).toBe(600);
    expect(r.json.version).not.toBe(before);
    expect(r.json.clips.find((c: any) => c.clip === 'hai').custom).toMatchObject({ format: 'wav', bytes: wav.length });
    expect(r.json.clips.find((c: any) => c.clip === 'ba').custom).toBeNull();
    expect(new Uint8Array(readFileSync(join(a.voiceDir, 'vi', 'hai.wav')))).toEqual(wav);
    // No temporary file left beside it.
    expect(filesIn(a)).toEqual(['hai.wav']);
    const served = await fetch(`${a.pages}/voice/vi/hai.wav`);
    expect(served.status).toBe(200);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(wav);
    expect((await call(a, 'GET', '/voice/vi/version')).json.version).toBe(r.json.version);
  });

  it('accepts a WAV whatever content type it is sent with, and records who installed it', async () => {
    const r = await putClip(a, 'ba', wavFile(tone(0.4, 16000), 16000), a.admin, 'application/octet-stream');
    expect(r.status, r.text).toBe(200);
    const audit = await fetch(`${a.pages}/api/v1/admin/audit`, { headers: { authorization: `Bearer ${a.admin}` } }).then((x) => x.json() as Promise<any[]>);
    expect(audit[0]).toMatchObject({ username: 'admin', action: 'voice.install', target: 'vi', detail: { clips: ['ba'] } });
  });

  it('replaces a clip placed by hand in another format: one recording per word', async () => {
    writeFileSync(join(a.voiceDir, 'vi', 'bayr.ogg'), 'OggS-by-hand');
    expect((await call(a, 'GET', '/voice/vi', { token: a.admin })).json.clips.find((c: any) => c.clip === 'bayr').custom.format).toBe('ogg');
    expect((await putClip(a, 'bayr', wavFile(tone(0.3), 22050))).status).toBe(200);
    expect(filesIn(a)).toContain('bayr.wav');
    expect(filesIn(a)).not.toContain('bayr.ogg');
  });

  const notWav: [string, Uint8Array, RegExp, RegExp][] = [
    ['an Ogg file', new TextEncoder().encode('OggS\0\x02\0\0 vorbis'), /not a WAV/, /không phải tệp âm thanh WAV/],
    ['a text file sent as audio/wav', new TextEncoder().encode('<html>hello</html>'), /not a WAV/, /không phải tệp âm thanh WAV/],
    ['a stereo WAV', (() => {
      const w = wavFile(tone(0.2), 22050);
      const v = new DataView(w.buffer);
      v.setUint16(22, 2, true);
      v.setUint16(32, 4, true);
      return w;
    })(), /mono/, /mono/],
  ];
  it.each(notWav)('refuses %s with a message in both languages, writing nothing', async (_n, bytes, en, vi) => {
    const before = filesIn(a);
    const r = await putClip(a, 'tams', bytes);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('INVALID_INPUT');
    expect(r.json.error.message).toMatch(en);
    expect(r.json.error.messageVi).toMatch(vi);
    expect(filesIn(a)).toEqual(before);
  });

  it('accepts a WAV sent with no content type at all (curl -T intro.wav)', async () => {
    const wav = wavFile(tone(0.3), 22050);
    const res = await fetch(`${a.api}/api/v1/voice/vi/clips/saus`, { method: 'PUT', headers: { authorization: `Bearer ${a.admin}` }, body: new Blob([Buffer.from(wav)]) });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(new Uint8Array(readFileSync(join(a.voiceDir, 'vi', 'saus.wav')))).toEqual(wav);
  });

  it('refuses an empty body', async () => {
    const r = await call(a, 'PUT', '/voice/vi/clips/tams', { token: a.admin });
    expect(r.status).toBe(400);
    expect(filesIn(a)).not.toContain('tams.wav');
  });

  it('refuses a clip over the size cap before reading it, saying the cap', async () => {
    const big = new Uint8Array(MAX_CLIP_BYTES + 1);
    big.set(wavFile(tone(0.1), 22050));
    const r = await putClip(a, 'tams', big);
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/too large .* at most 1 MB/);
    expect(r.json.error.messageVi).toMatch(/quá lớn .* tối đa 1 MB/);
    expect(filesIn(a)).not.toContain('tams.wav');
  });

  it('refuses a body sent without a length that runs over the cap', async () => {
    // A stream has no content-length: Fastify's bodyLimit stops it.
    const chunk = new Uint8Array(256 * 1024);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent > MAX_CLIP_BYTES + chunk.length) return c.close();
        sent += chunk.length;
        c.enqueue(chunk);
      },
    });
    const res = await fetch(`${a.api}/api/v1/voice/vi/clips/tams`, { method: 'PUT', headers: { authorization: `Bearer ${a.admin}`, 'content-type': 'audio/wav' }, body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.message).toMatch(/too large/);
    expect(filesIn(a)).not.toContain('tams.wav');
  });

  it.each(['not-a-clip', 'intro.wav', 'INTRO', 'letter-aa'])('refuses the unknown clip name "%s"', async (name) => {
    const r = await putClip(a, name, wavFile(tone(0.2), 22050));
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/not a clip the TV uses/);
    expect(r.json.error.messageVi).toMatch(/không phải tên đoạn ghi âm/);
  });

  it.each(['..%2F..%2Fluot.sqlite', '..%2Fescape', '%2e%2e', '..%5C..%5Cluot.sqlite', 'intro%00.wav'])('refuses the path "%s" and writes nothing outside the folder', async (name) => {
    const sqlite = readFileSync(join(a.dataDir, 'luot.sqlite'));
    const top = readdirSync(a.dataDir).sort();
    const r = await putClip(a, name, wavFile(tone(0.2), 22050));
    expect([400, 404]).toContain(r.status);
    expect(readdirSync(a.dataDir).sort()).toEqual(top);
    expect(readFileSync(join(a.dataDir, 'luot.sqlite')).equals(sqlite)).toBe(true);
    expect(readdirSync(a.voiceDir)).toEqual(['vi']);
  });

  it('refuses another language, and a path in its place', async () => {
    for (const lang of ['en', '..%2F..', 'vi%2F..']) {
      const r = await call(a, 'PUT', `/voice/${lang}/clips/hai`, { token: a.admin, body: Buffer.from(wavFile(tone(0.2), 22050)), type: 'audio/wav' });
      expect([400, 404], lang).toContain(r.status);
    }
    expect(readdirSync(a.voiceDir)).toEqual(['vi']);
  });
});

describe('removing clips', () => {
  it('puts one word back to the built-in clip, then all of them', async () => {
    expect((await putClip(a, 'intro', wavFile(tone(1.5), 22050))).status).toBe(200);
    // The pages serve the center's intro.wav by name; the built-in intro.ogg is still there.
    expect((await fetch(`${a.pages}/voice/vi/intro.wav`)).status).toBe(200);
    const one = await call(a, 'DELETE', '/voice/vi/clips/intro', { token: a.admin });
    expect(one.status).toBe(200);
    expect(one.json.removed).toEqual(['intro']);
    expect(filesIn(a)).not.toContain('intro.wav');
    expect(await (await fetch(`${a.pages}/voice/vi/intro.ogg`)).text()).toBe('OggS-built-in-intro');

    const all = await call(a, 'DELETE', '/voice/vi', { token: a.admin });
    expect(all.status).toBe(200);
    expect(all.json.removed.length).toBeGreaterThan(0);
    expect(filesIn(a)).toEqual([]);
    expect(all.json.clips.every((c: any) => c.custom === null)).toBe(true);
  });
});

describe('the voice as one file: export from one center, import into another', () => {
  const clips = { intro: wavFile(tone(1.4, 22050, 180), 22050), 'to-counter': wavFile(tone(0.9, 22050, 200), 22050), hai: wavFile(tone(0.35, 24000, 240), 24000) };

  it('exports the clips installed at center A and installs them at center B, byte for byte', async () => {
    for (const [clip, bytes] of Object.entries(clips)) expect((await putClip(a, clip, bytes)).status).toBe(200);
    // A hand-placed Ogg is served but is not WAV: it stays out of the file.
    writeFileSync(join(a.voiceDir, 'vi', 'ba.ogg'), 'OggS-by-hand');

    const exported = await fetch(`${a.api}/api/v1/voice/vi/pack`, { headers: { authorization: `Bearer ${a.admin}` } });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toMatch(/^attachment; filename="luot-giong-doc-vi-\d{4}-\d{2}-\d{2}\.json"$/);
    const file = await exported.text();
    const pack = JSON.parse(file);
    expect(pack).toMatchObject({ format: 'luot-voice', version: 1, lang: 'vi', center: 'Trung tâm Phục vụ hành chính công' });
    expect(Object.keys(pack.clips).sort()).toEqual(Object.keys(clips).sort());

    const versionBefore = (await call(b, 'GET', '/voice/vi/version')).json.version;
    // Uploaded as the file it is (a browser's file input sends it as application/json).
    const imported = await call(b, 'POST', '/voice/vi/pack', { token: b.admin, body: file, type: 'application/json' });
    expect(imported.status, imported.text).toBe(200);
    expect(imported.json.installed.sort()).toEqual(Object.keys(clips).sort());
    expect(imported.json.version).not.toBe(versionBefore);
    for (const [clip, bytes] of Object.entries(clips)) {
      expect(new Uint8Array(readFileSync(join(b.voiceDir, 'vi', `${clip}.wav`))), clip).toEqual(bytes);
      const served = await fetch(`${b.pages}/voice/vi/${clip}.wav`);
      expect(new Uint8Array(await served.arrayBuffer()), clip).toEqual(bytes);
    }
    // Exported again from B, the same clips come out.
    const again = JSON.parse(await (await fetch(`${b.api}/api/v1/voice/vi/pack`, { headers: { authorization: `Bearer ${b.admin}` } })).text());
    expect(again.clips).toEqual(pack.clips);
  });

  it('accepts the file sent as plain bytes (curl --data-binary)', async () => {
    const file = await (await fetch(`${a.api}/api/v1/voice/vi/pack`, { headers: { authorization: `Bearer ${a.admin}` } })).text();
    const r = await call(b, 'POST', '/voice/vi/pack', { token: b.admin, body: file, type: 'application/octet-stream' });
    expect(r.status, r.text).toBe(200);
  });

  it('refuses a file with one bad clip as a whole: nothing of it is installed', async () => {
    const before = filesIn(b).map((f) => [f, readFileSync(join(b.voiceDir, 'vi', f)).toString('base64')]);
    const pack = {
      format: 'luot-voice',
      version: 1,
      lang: 'vi',
      clips: {
        nawm: { wav: Buffer.from(wavFile(tone(0.3), 22050)).toString('base64') },
        saus: { wav: Buffer.from('RIFF....WAVEjunk').toString('base64') },
      },
    };
    const r = await call(b, 'POST', '/voice/vi/pack', { token: b.admin, json: pack });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/1 clip\(s\) .* refused, nothing installed: saus: /);
    expect(r.json.error.messageVi).toMatch(/chưa cài đặt gì/);
    expect(r.json.error.issues).toEqual([{ path: 'clips.saus', message: expect.stringMatching(/not a WAV/) }]);
    expect(filesIn(b).map((f) => [f, readFileSync(join(b.voiceDir, 'vi', f)).toString('base64')])).toEqual(before);
  });

  it('refuses unknown clip names and paths as names, writing nothing anywhere', async () => {
    const wav = Buffer.from(wavFile(tone(0.3), 22050)).toString('base64');
    const top = readdirSync(b.dataDir).sort();
    const before = filesIn(b);
    for (const name of ['../../luot', '../escape', 'nope', '/etc/passwd', 'vi/hai']) {
      const r = await call(b, 'POST', '/voice/vi/pack', { token: b.admin, json: { format: 'luot-voice', version: 1, lang: 'vi', clips: { [name]: { wav } } } });
      expect(r.status, name).toBe(400);
      expect(r.json.error.message, name).toMatch(/unknown clip name/);
    }
    expect(readdirSync(b.dataDir).sort()).toEqual(top);
    expect(filesIn(b)).toEqual(before);
    expect(existsSync(join(b.dataDir, 'escape.wav'))).toBe(false);
  });

  it('refuses what is not a voice file, and a file over the cap', async () => {
    const notPack = await call(b, 'POST', '/voice/vi/pack', { token: b.admin, body: 'just some text', type: 'text/plain' });
    expect(notPack.status).toBe(400);
    expect(notPack.json.error.messageVi).toMatch(/không phải tệp giọng đọc/);
    const wrongLang = await call(b, 'POST', '/voice/vi/pack', { token: b.admin, json: { format: 'luot-voice', version: 1, lang: 'en', clips: { hai: { wav: '' } } } });
    expect(wrongLang.json.error.message).toMatch(/language "en"/);
    const big = await call(b, 'POST', '/voice/vi/pack', { token: b.admin, body: 'x'.repeat(MAX_PACK_BYTES + 1), type: 'application/json' });
    expect(big.status).toBe(400);
    expect(big.json.error.message).toMatch(/voice file is too large/);
  });
});

describe('a clip dropped into the folder by hand', () => {
  it('changes the version too, so TVs pick it up without a reload', async () => {
    const v1 = (await call(b, 'GET', '/voice/vi/version')).json.version;
    writeFileSync(join(b.voiceDir, 'vi', 'chins.ogg'), 'OggS-by-hand');
    const v2 = (await call(b, 'GET', '/voice/vi/version')).json.version;
    expect(v2).not.toBe(v1);
    // Files that are not clips (a note, a temporary file) do not count.
    writeFileSync(join(b.voiceDir, 'vi', 'README.txt'), 'notes');
    writeFileSync(join(b.voiceDir, 'vi', '.hai.123.tmp'), 'partial');
    expect((await call(b, 'GET', '/voice/vi/version')).json.version).toBe(v2);
  });
});
