import { describe, expect, it } from 'vitest';
import { isKnownClip, voiceClips } from '../src/voice/clips.js';
import { buildPack, parsePack, PACK_FORMAT } from '../src/voice/pack.js';
import { VoiceRefusal } from '../src/voice/refusal.js';
import { MAX_CLIP_SECONDS, parseWav, wavFile, WavError } from '../src/voice/wav.js';
import { allAnnouncementClips, buildAnnouncement } from '@luot/domain';

/** A WAV header with the given fields, for files the studio never writes (stereo, 8-bit, float). */
function customWav(o: { format?: number; channels?: number; rate?: number; bits?: number; dataBytes?: number; declaredData?: number; extra?: [string, number][] }): Uint8Array {
  const channels = o.channels ?? 1;
  const bits = o.bits ?? 16;
  const rate = o.rate ?? 22050;
  const dataBytes = o.dataBytes ?? 400;
  const extra = o.extra ?? [];
  const extraBytes = extra.reduce((n, [, size]) => n + 8 + size + (size % 2), 0);
  const out = new Uint8Array(12 + 24 + extraBytes + 8 + dataBytes);
  const v = new DataView(out.buffer);
  const put = (at: number, s: string) => [...s].forEach((c, i) => (out[at + i] = c.charCodeAt(0)));
  put(0, 'RIFF');
  v.setUint32(4, out.length - 8, true);
  put(8, 'WAVE');
  let at = 12;
  for (const [id, size] of extra) {
    put(at, id);
    v.setUint32(at + 4, size, true);
    at += 8 + size + (size % 2);
  }
  put(at, 'fmt ');
  v.setUint32(at + 4, 16, true);
  v.setUint16(at + 8, o.format ?? 1, true);
  v.setUint16(at + 10, channels, true);
  v.setUint32(at + 12, rate, true);
  v.setUint32(at + 16, (rate * channels * bits) / 8, true);
  v.setUint16(at + 20, (channels * bits) / 8, true);
  v.setUint16(at + 22, bits, true);
  at += 24;
  put(at, 'data');
  v.setUint32(at + 4, o.declaredData ?? dataBytes, true);
  return out;
}

const tone = (seconds: number, rate = 22050) => Int16Array.from({ length: Math.round(seconds * rate) }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 220 * i) / rate)));

describe('parseWav', () => {
  it('reads a 16-bit mono PCM file: rate, where the samples are, how long', () => {
    const info = parseWav(wavFile(tone(0.5), 22050));
    expect(info).toEqual({ sampleRate: 22050, channels: 1, bitsPerSample: 16, dataOffset: 44, dataBytes: 22050, durationMs: 500 });
  });

  it('skips chunks it does not need (LIST, odd-sized ones padded to even)', () => {
    const info = parseWav(customWav({ extra: [['LIST', 26], ['junk', 3]], dataBytes: 4410 * 2, rate: 44100 }));
    expect(info.durationMs).toBe(100);
    expect(info.dataOffset).toBe(12 + 34 + 12 + 24 + 8);
  });

  it.each<[string, Uint8Array, RegExp]>([
    ['an Ogg file', new TextEncoder().encode('OggS\0\x02 not a wav at all'), /not a WAV/],
    ['a text file', new TextEncoder().encode('hello, this is text, not sound'), /not a WAV/],
    ['an empty file', new Uint8Array(0), /not a WAV/],
    ['RIFF without fmt', new TextEncoder().encode('RIFF\x10\0\0\0WAVEdata\x02\0\0\0\0\0'), /not a WAV/],
    ['stereo', customWav({ channels: 2 }), /mono/],
    ['8-bit', customWav({ bits: 8 }), /16-bit/],
    ['float', customWav({ format: 3, bits: 32 }), /16-bit/],
    ['A-law', customWav({ format: 6, bits: 8 }), /16-bit/],
    ['4 kHz', customWav({ rate: 4000 }), /sample rate/],
    ['96 kHz', customWav({ rate: 96000 }), /sample rate/],
    ['cut short', customWav({ dataBytes: 100, declaredData: 10_000 }), /cut short/],
    ['empty data', customWav({ dataBytes: 0 }), /empty/],
    [`longer than ${MAX_CLIP_SECONDS} s`, wavFile(tone(MAX_CLIP_SECONDS + 0.1, 8000), 8000), /at most/],
  ])('refuses %s, in both languages', (_name, bytes, en) => {
    let err: unknown;
    try {
      parseWav(bytes);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WavError);
    expect((err as WavError).en).toMatch(en);
    // Vietnamese, not the English copied: it has letters outside ASCII.
    expect((err as WavError).vi).toMatch(/[^ -~]/);
  });
});

describe('the clip list', () => {
  it('is every clip an announcement can use, plus the chime, with unique safe names', () => {
    const names = voiceClips().map((c) => c.clip);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(names).toEqual([...allAnnouncementClips().map((c) => c.clip), 'chime']);
    for (const part of buildAnnouncement('10001', 24)) expect(isKnownClip(part.clip), part.clip).toBe(true);
  });

  it('marks only the chime and the alternatives lẻ/nhăm as optional', () => {
    expect(voiceClips().filter((c) => c.optional).map((c) => c.text)).toEqual(['nhăm', 'lẻ', '(tiếng chuông / chime)']);
  });

  it.each(['../luot', '..', 'intro.wav', 'INTRO', '', 'letter-aa', 'constructor', '__proto__'])('does not know "%s"', (name) => {
    expect(isKnownClip(name)).toBe(false);
  });
});

describe('the voice file (pack)', () => {
  const intro = wavFile(tone(1.2), 22050);
  const hai = wavFile(tone(0.4, 24000), 24000);

  it('round-trips: what buildPack writes, parsePack reads back byte for byte', () => {
    const pack = buildPack('vi', [{ clip: 'intro', bytes: intro }, { clip: 'hai', bytes: hai }], { exportedAt: '2025-03-01T08:00:00.000Z', center: 'Trung tâm A' });
    expect(pack.format).toBe(PACK_FORMAT);
    expect(pack.clips.intro?.text).toBe('Mời công dân có số thứ tự');
    const back = parsePack(JSON.parse(JSON.stringify(pack)), 'vi');
    expect(back.map((c) => c.clip)).toEqual(['intro', 'hai']);
    expect(back[0]?.bytes).toEqual(intro);
    expect(back[1]?.bytes).toEqual(hai);
    expect(back[1]?.info.sampleRate).toBe(24000);
  });

  const good = () => buildPack('vi', [{ clip: 'intro', bytes: intro }], { exportedAt: 'x' }) as unknown as Record<string, any>;
  const refusal = (body: unknown): VoiceRefusal => {
    try {
      parsePack(body, 'vi');
    } catch (e) {
      if (e instanceof VoiceRefusal) return e;
      throw e;
    }
    throw new Error('not refused');
  };

  it('refuses what is not a voice file', () => {
    for (const body of [null, 'text', [], { format: 'zip' }, { ...good(), clips: 'x' }]) expect(refusal(body).en).toMatch(/not a Luot voice file/);
  });

  it('refuses a newer format version and another language', () => {
    expect(refusal({ ...good(), version: 2 }).en).toMatch(/version 2/);
    expect(refusal({ ...good(), lang: 'en' }).en).toMatch(/language "en"/);
    expect(refusal({ ...good(), clips: {} }).en).toMatch(/no clips/);
  });

  it('refuses the whole file when one clip is bad, naming each bad clip', () => {
    const body = good();
    body.clips['../../etc/passwd'] = { wav: body.clips.intro.wav };
    body.clips['hai'] = { wav: Buffer.from('OggS fake').toString('base64') };
    body.clips['ba'] = { wav: '!!not base64!!' };
    const e = refusal(body);
    expect(e.issues?.map((i) => i.path)).toEqual(['clips.../../etc/passwd', 'clips.hai', 'clips.ba']);
    expect(e.en).toMatch(/^3 clip\(s\) .* refused, nothing installed/);
    expect(e.toBody().messageVi).toMatch(/^3 đoạn ghi âm .* chưa cài đặt gì/);
    expect(e.toBody().code).toBe('INVALID_INPUT');
  });
});
