import { describe, expect, it } from 'vitest';
import { dbOf, encodeWav, findVoice, frameLevels, MAX_GAIN_DB, mixToMono, PEAK_CEILING_DB, processClip, TARGET_RMS_DB, VoiceDetector } from './audio.js';

const RATE = 24000;

/** A seeded generator, so the "room noise" is the same on every run. */
function noiseSource(seed = 7) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff - 0.5;
  };
}

/** A recording: room noise at `noiseDb` with voice-like bursts (a 180 Hz tone and harmonics). */
function recording(parts: { ms: number; voiceDb?: number }[], noiseDb = -70): Float32Array {
  const noise = noiseSource();
  const total = parts.reduce((n, p) => n + Math.round((p.ms * RATE) / 1000), 0);
  const out = new Float32Array(total);
  let at = 0;
  // White noise of amplitude a in [-a/2, a/2] has RMS a/sqrt(12).
  const noiseAmp = 10 ** (noiseDb / 20) * Math.sqrt(12);
  for (const p of parts) {
    const n = Math.round((p.ms * RATE) / 1000);
    for (let i = 0; i < n; i++) {
      let v = noise() * noiseAmp;
      if (p.voiceDb !== undefined) {
        const t = i / RATE;
        const wave = Math.sin(2 * Math.PI * 180 * t) + 0.5 * Math.sin(2 * Math.PI * 360 * t) + 0.25 * Math.sin(2 * Math.PI * 540 * t);
        // RMS of the three partials: sqrt((1 + 0.25 + 0.0625) / 2).
        v += (wave / Math.sqrt(1.3125 / 2)) * 10 ** (p.voiceDb / 20);
      }
      out[at + i] = v;
    }
    at += n;
  }
  return out;
}

const rmsDb = (x: Float32Array) => dbOf(Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length));
const peakDb = (x: Float32Array) => dbOf(x.reduce((m, v) => Math.max(m, Math.abs(v)), 0));

describe('processClip', () => {
  it('cuts the silence around a word, keeping short pads, and brings it to the target level', () => {
    const input = recording([{ ms: 600 }, { ms: 450, voiceDb: -32 }, { ms: 800 }]);
    const { samples, report } = processClip(input, RATE);
    // 600 ms of silence before, 40 ms of it kept; 800 after, 90 kept (to the 10 ms frame).
    expect(report.trimmedStartMs).toBeGreaterThanOrEqual(550);
    expect(report.trimmedStartMs).toBeLessThanOrEqual(570);
    expect(report.trimmedEndMs).toBeGreaterThanOrEqual(700);
    expect(report.trimmedEndMs).toBeLessThanOrEqual(720);
    expect(report.durationMs).toBeGreaterThanOrEqual(570);
    expect(report.durationMs).toBeLessThanOrEqual(590);
    expect(samples.length).toBe(Math.round((report.durationMs * RATE) / 1000));
    expect(report.gainDb).toBeCloseTo(12, 0);
    // The voiced middle is now at the target level.
    const middle = samples.slice(Math.round(0.1 * RATE), Math.round(0.4 * RATE));
    expect(rmsDb(middle)).toBeCloseTo(TARGET_RMS_DB, 0);
    expect(report.noVoice || report.tooQuiet || report.clipped || report.tooLong).toBe(false);
  });

  it('evens loudness: a word recorded quietly and one recorded loudly come out at the same level', () => {
    const quiet = processClip(recording([{ ms: 300 }, { ms: 400, voiceDb: -40 }, { ms: 300 }]), RATE);
    const loud = processClip(recording([{ ms: 300 }, { ms: 400, voiceDb: -12 }, { ms: 300 }]), RATE);
    expect(Math.abs(quiet.report.rmsDb - loud.report.rmsDb)).toBeLessThan(0.5);
    expect(quiet.report.gainDb).toBeGreaterThan(19);
    expect(loud.report.gainDb).toBeLessThan(-7);
  });

  it('never goes over the peak ceiling: a peaky recording is raised only as far as its peak allows', () => {
    const input = recording([{ ms: 300 }, { ms: 400, voiceDb: -30 }, { ms: 300 }]);
    // A few loud spikes inside the word (plosives).
    for (const at of [0.4, 0.45, 0.5]) input[Math.round(at * RATE)] = 0.9;
    const { samples, report } = processClip(input, RATE);
    expect(peakDb(samples)).toBeLessThanOrEqual(PEAK_CEILING_DB + 0.01);
    expect(report.peakDb).toBeCloseTo(PEAK_CEILING_DB, 1);
    expect(report.rmsDb).toBeLessThan(TARGET_RMS_DB);
  });

  it('keeps a two-syllable word whole across the short gap between its syllables', () => {
    const input = recording([{ ms: 400 }, { ms: 250, voiceDb: -25 }, { ms: 150 }, { ms: 300, voiceDb: -28 }, { ms: 400 }]);
    const { report } = processClip(input, RATE);
    expect(report.durationMs).toBeGreaterThanOrEqual(700 + 40 + 90 - 10);
    expect(report.durationMs).toBeLessThanOrEqual(700 + 40 + 90 + 10);
  });

  it('does not take a click before the word (the mouse, a bump) for its start', () => {
    const input = recording([{ ms: 200 }, { ms: 10, voiceDb: -10 }, { ms: 400 }, { ms: 300, voiceDb: -25 }, { ms: 300 }]);
    expect(processClip(input, RATE).report.trimmedStartMs).toBeGreaterThanOrEqual(560);
  });

  it('adapts to a noisy room: the noise floor does not count as voice', () => {
    const input = recording([{ ms: 500 }, { ms: 400, voiceDb: -20 }, { ms: 500 }], -42);
    const { report } = processClip(input, RATE);
    expect(report.trimmedStartMs).toBeGreaterThanOrEqual(440);
    expect(report.trimmedEndMs).toBeGreaterThanOrEqual(390);
  });

  it('reports a recording with no voice in it and leaves it as it was', () => {
    const input = recording([{ ms: 1000 }], -65);
    const { samples, report } = processClip(input, RATE);
    expect(report.noVoice).toBe(true);
    expect(report.gainDb).toBe(0);
    expect(samples.length).toBe(input.length);
  });

  it('reports a recording too quiet to even out without lifting the noise, and a clipped one', () => {
    const faint = processClip(recording([{ ms: 300 }, { ms: 400, voiceDb: -47 }, { ms: 300 }], -80), RATE);
    expect(faint.report.tooQuiet).toBe(true);
    expect(faint.report.gainDb).toBe(MAX_GAIN_DB);
    const overloaded = recording([{ ms: 300 }, { ms: 400, voiceDb: -6 }, { ms: 300 }]);
    for (let i = Math.round(0.4 * RATE); i < Math.round(0.5 * RATE); i++) overloaded[i] = Math.max(-1, Math.min(1, (overloaded[i] as number) * 4));
    expect(processClip(overloaded, RATE).report.clipped).toBe(true);
  });

  it('fades both ends to zero, so no click where the clip is cut', () => {
    const { samples } = processClip(recording([{ ms: 100, voiceDb: -15 }, { ms: 100, voiceDb: -15 }]), RATE);
    expect(samples[0]).toBe(0);
    expect(Math.abs(samples[samples.length - 1] as number)).toBeLessThan(1e-3);
  });
});

describe('findVoice and frameLevels', () => {
  it('measures 10 ms frames in dBFS', () => {
    const levels = frameLevels(recording([{ ms: 100, voiceDb: -20 }], -120), RATE);
    expect(levels.length).toBe(10);
    for (const l of levels) expect(l).toBeCloseTo(-20, 0);
  });
  it('keeps a recording that is all speech whole', () => {
    const input = recording([{ ms: 500, voiceDb: -18 }]);
    const span = findVoice(input, RATE);
    expect(span.voiced).toBe(true);
    expect(span.end - span.start).toBe(input.length);
  });
});

describe('encodeWav', () => {
  it('writes a 16-bit PCM mono WAV the server accepts: header fields and samples', () => {
    const wav = encodeWav(Float32Array.from([0, 0.5, -0.5, 1, -1, 2]), 24000);
    const v = new DataView(wav.buffer);
    const text = (at: number) => String.fromCharCode(...wav.slice(at, at + 4));
    expect([text(0), text(8), text(12), text(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect(v.getUint32(4, true)).toBe(wav.length - 8);
    expect([v.getUint16(20, true), v.getUint16(22, true), v.getUint32(24, true), v.getUint32(28, true), v.getUint16(32, true), v.getUint16(34, true)]).toEqual([1, 1, 24000, 48000, 2, 16]);
    expect(v.getUint32(40, true)).toBe(12);
    expect([0, 1, 2, 3, 4, 5].map((i) => v.getInt16(44 + i * 2, true))).toEqual([0, 16384, -16384, 32767, -32768, 32767]);
  });
});

describe('mixToMono', () => {
  it('averages the channels of a stereo file', () => {
    expect([...mixToMono([Float32Array.from([1, 0.5]), Float32Array.from([0, -0.5])])]).toEqual([0.5, 0]);
    expect([...mixToMono([Float32Array.from([0.25])])]).toEqual([0.25]);
  });
});

describe('VoiceDetector (the recording stops by itself after the word)', () => {
  const feed = (d: VoiceDetector, db: number, ms: number) => {
    for (let t = 0; t < ms; t += 20) d.push(db, 20);
  };
  it('stops 0.8 s after the voice, once a word was heard', () => {
    const d = new VoiceDetector();
    feed(d, -70, 500);
    expect(d.heard).toBe(false);
    feed(d, -30, 400);
    expect(d.heard).toBe(true);
    feed(d, -70, 780);
    expect(d.done).toBe(false);
    feed(d, -70, 20);
    expect(d.done).toBe(true);
  });
  it('does not stop on silence alone, nor on a click', () => {
    const d = new VoiceDetector();
    feed(d, -70, 3000);
    d.push(-20, 20);
    feed(d, -70, 2000);
    expect(d.done).toBe(false);
  });
  it('counts a quiet voice as voice once it stands out of the room noise', () => {
    const d = new VoiceDetector();
    feed(d, -75, 300);
    feed(d, -48, 300);
    expect(d.heard).toBe(true);
  });
});
