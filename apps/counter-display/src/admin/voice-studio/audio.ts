/**
 * What the studio does to a recording before anyone hears it on the TV, as pure functions over
 * Float32 samples (-1..1), so they are unit-tested without a browser:
 *
 * 1. trim the silence before and after the word (the TV plays clips back to back: a clip that
 *    starts with half a second of room noise makes the sentence halting);
 * 2. even the loudness: every clip brought to the same speech level (RMS over the voiced part),
 *    never above a peak ceiling, so "mười" recorded close to the microphone is not louder than
 *    "lăm" recorded a step back;
 * 3. short fades at both ends (no click where a clip is cut);
 * 4. encode as WAV, 16-bit PCM mono, the format the server accepts.
 */

/** Analysis windows: 10 ms, short enough to find a word's edge, long enough to be stable. */
const FRAME_MS = 10;
/** Kept before the first voiced frame: soft onsets (h, s, ph) start below the threshold. */
const PAD_BEFORE_MS = 40;
/** Kept after the last voiced frame: a final syllable's tone dies away slowly. */
const PAD_AFTER_MS = 90;
/** A voiced run shorter than this is a click (the mouse, a bump on the desk), not speech. */
const MIN_RUN_FRAMES = 3;
const FADE_IN_MS = 5;
const FADE_OUT_MS = 15;

/** Speech level every clip is brought to, dBFS RMS over its voiced frames. */
export const TARGET_RMS_DB = -20;
/** No sample above this after the gain, dBFS. */
export const PEAK_CEILING_DB = -1;
/** More gain than this would mostly lift noise: the recording is reported as too quiet. */
export const MAX_GAIN_DB = 24;
/** A recording whose loudest 10 ms is below this has no voice in it. */
export const NO_VOICE_DB = -50;
/** Words are short: longer than this, something went wrong (the server refuses over 8 s). */
export const MAX_CLIP_MS = 7000;

export const dbOf = (amplitude: number): number => (amplitude > 0 ? 20 * Math.log10(amplitude) : -120);
export const amplitudeOf = (db: number): number => 10 ** (db / 20);

/** RMS level of each 10 ms frame, dBFS. */
export function frameLevels(samples: Float32Array, rate: number): Float32Array {
  const size = Math.max(1, Math.round((rate * FRAME_MS) / 1000));
  const frames = Math.ceil(samples.length / size);
  const out = new Float32Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    const end = Math.min(samples.length, (f + 1) * size);
    for (let i = f * size; i < end; i++) sum += (samples[i] as number) ** 2;
    out[f] = dbOf(Math.sqrt(sum / Math.max(1, end - f * size)));
  }
  return out;
}

function percentile(values: Float32Array, p: number): number {
  const sorted = Float32Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? -120;
}

export interface VoicedSpan {
  /** Sample indexes of the kept part [start, end), pads included. */
  start: number;
  end: number;
  /** The level a frame must reach to count as voice, dBFS. */
  thresholdDb: number;
  /** False when nothing in the recording is loud or long enough to be a word. */
  voiced: boolean;
}

/**
 * Where the word is. The threshold adapts to the room: 10 dB over its noise floor (the quietest
 * tenth of the frames), but at least 35 dB under the loudest frame so soft consonants count, and
 * never above 6 dB under the loudest (a recording that is all speech keeps all of it).
 */
export function findVoice(samples: Float32Array, rate: number): VoicedSpan {
  const levels = frameLevels(samples, rate);
  const size = Math.max(1, Math.round((rate * FRAME_MS) / 1000));
  const loudest = levels.reduce((m, l) => Math.max(m, l), -120);
  const floor = percentile(levels, 0.1);
  const thresholdDb = Math.min(Math.max(floor + 10, loudest - 35), loudest - 6);
  const none: VoicedSpan = { start: 0, end: samples.length, thresholdDb, voiced: false };
  if (loudest < NO_VOICE_DB) return none;
  // Runs of voiced frames at least MIN_RUN_FRAMES long; the word spans the first to the last.
  let first = -1;
  let last = -1;
  let run = 0;
  for (let f = 0; f < levels.length; f++) {
    if ((levels[f] as number) >= thresholdDb) {
      run++;
      if (run === MIN_RUN_FRAMES) {
        if (first < 0) first = f - MIN_RUN_FRAMES + 1;
        last = f;
      } else if (run > MIN_RUN_FRAMES) last = f;
    } else run = 0;
  }
  if (first < 0) return none;
  const pad = (ms: number) => Math.round((rate * ms) / 1000);
  return {
    start: Math.max(0, first * size - pad(PAD_BEFORE_MS)),
    end: Math.min(samples.length, (last + 1) * size + pad(PAD_AFTER_MS)),
    thresholdDb,
    voiced: true,
  };
}

export interface ProcessReport {
  /** Milliseconds of silence cut before and after the word. */
  trimmedStartMs: number;
  trimmedEndMs: number;
  durationMs: number;
  /** Gain applied, dB (negative: made quieter). */
  gainDb: number;
  /** Speech level after the gain, dBFS RMS over the voiced frames. */
  rmsDb: number;
  peakDb: number;
  /** Nothing that sounds like a word was found: the clip is kept whole, not evened. */
  noVoice: boolean;
  /** Needed more than MAX_GAIN_DB: speak closer to the microphone. */
  tooQuiet: boolean;
  /** The input hit full scale: the microphone was overloaded (speak softer or step back). */
  clipped: boolean;
  /** Longer than a word should be. */
  tooLong: boolean;
}

/** Trim, even the loudness and fade: the clip as the TV will play it, with what was done. */
export function processClip(input: Float32Array, rate: number): { samples: Float32Array; report: ProcessReport } {
  const span = findVoice(input, rate);
  const clip = input.slice(span.start, span.end);
  const ms = (n: number) => Math.round((n * 1000) / rate);
  let clippedCount = 0;
  let peak = 0;
  for (const s of clip) {
    const a = Math.abs(s);
    if (a >= 0.999) clippedCount++;
    if (a > peak) peak = a;
  }
  // The voiced frames' level: what a listener hears as the clip's loudness.
  let sum = 0;
  let count = 0;
  const size = Math.max(1, Math.round((rate * FRAME_MS) / 1000));
  const levels = frameLevels(clip, rate);
  levels.forEach((l, f) => {
    if (span.voiced && l < span.thresholdDb) return;
    for (let i = f * size; i < Math.min(clip.length, (f + 1) * size); i++) {
      sum += (clip[i] as number) ** 2;
      count++;
    }
  });
  const rms = Math.sqrt(sum / Math.max(1, count));
  let gainDb = 0;
  let tooQuiet = false;
  if (span.voiced && rms > 0) {
    gainDb = Math.min(TARGET_RMS_DB - dbOf(rms), PEAK_CEILING_DB - dbOf(peak));
    if (gainDb > MAX_GAIN_DB) {
      gainDb = MAX_GAIN_DB;
      tooQuiet = true;
    }
  }
  const gain = amplitudeOf(gainDb);
  for (let i = 0; i < clip.length; i++) clip[i] = (clip[i] as number) * gain;
  fade(clip, rate);
  return {
    samples: clip,
    report: {
      trimmedStartMs: ms(span.start),
      trimmedEndMs: ms(input.length - span.end),
      durationMs: ms(clip.length),
      gainDb: Math.round(gainDb * 10) / 10,
      rmsDb: Math.round((dbOf(rms) + gainDb) * 10) / 10,
      peakDb: Math.round((dbOf(peak) + gainDb) * 10) / 10,
      noVoice: !span.voiced,
      tooQuiet,
      clipped: clippedCount >= 3,
      tooLong: ms(clip.length) > MAX_CLIP_MS,
    },
  };
}

/** Linear fade-in and fade-out, in place. */
export function fade(samples: Float32Array, rate: number): void {
  const fin = Math.min(samples.length >> 1, Math.round((rate * FADE_IN_MS) / 1000));
  const fout = Math.min(samples.length >> 1, Math.round((rate * FADE_OUT_MS) / 1000));
  for (let i = 0; i < fin; i++) samples[i] = (samples[i] as number) * (i / fin);
  for (let i = 0; i < fout; i++) {
    const at = samples.length - 1 - i;
    samples[at] = (samples[at] as number) * (i / fout);
  }
}

/** Several channels averaged into one (a stereo file recorded elsewhere). */
export function mixToMono(channels: readonly Float32Array[]): Float32Array {
  const first = channels[0];
  if (!first) return new Float32Array(0);
  if (channels.length === 1) return Float32Array.from(first);
  const out = new Float32Array(first.length);
  for (const ch of channels) for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + (ch[i] ?? 0) / channels.length;
  return out;
}

/** 16-bit PCM mono WAV: a 44-byte header, then the samples, little-endian. */
export function encodeWav(samples: Float32Array, rate: number): Uint8Array {
  const out = new Uint8Array(44 + samples.length * 2);
  const v = new DataView(out.buffer);
  const put = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
  };
  put(0, 'RIFF');
  v.setUint32(4, 36 + samples.length * 2, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  put(36, 'data');
  v.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i] as number));
    v.setInt16(44 + i * 2, Math.round(s < 0 ? s * 0x8000 : s * 0x7fff), true);
  }
  return out;
}

/** Peaks of `buckets` slices, for drawing the clip's waveform. */
export function waveform(samples: Float32Array, buckets: number): Float32Array {
  const out = new Float32Array(buckets);
  const per = samples.length / buckets;
  for (let b = 0; b < buckets; b++) {
    let m = 0;
    for (let i = Math.floor(b * per); i < Math.min(samples.length, Math.floor((b + 1) * per)); i++) m = Math.max(m, Math.abs(samples[i] as number));
    out[b] = m;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// While recording

/** A recording stops by itself this long after the voice stops. */
const SILENCE_TO_STOP_MS = 800;
/** ...once at least this much voice was heard. */
const VOICE_TO_ARM_MS = 150;
/** And in any case after this long. */
export const MAX_RECORDING_MS = 8000;
/** A window this loud is voice whatever the room (a floor measured while someone speaks is high). */
const SURE_VOICE_DB = -35;

/**
 * Tells voice from room noise as the samples arrive: the room's floor is the quietest window so
 * far; a window 15 dB above it (and above -50 dBFS), or above -35 dBFS in any case, is voice.
 */
export class VoiceDetector {
  private floorDb = 0;
  heardMs = 0;
  silentMs = 0;

  push(db: number, ms: number): void {
    this.floorDb = Math.min(this.floorDb, db);
    const voice = db >= SURE_VOICE_DB || (db >= NO_VOICE_DB && db >= this.floorDb + 15);
    if (voice) {
      this.heardMs += ms;
      this.silentMs = 0;
    } else this.silentMs += ms;
  }

  get heard(): boolean {
    return this.heardMs >= VOICE_TO_ARM_MS;
  }

  /** The speaker has said the word and stopped. */
  get done(): boolean {
    return this.heard && this.silentMs >= SILENCE_TO_STOP_MS;
  }
}

