import captureWorkletUrl from './capture.worklet.ts?worker&url';
import { dbOf, MAX_RECORDING_MS, mixToMono, VoiceDetector } from './audio.js';

/**
 * The microphone, captured as raw PCM through an AudioWorklet.
 *
 * Why not MediaRecorder: it gives compressed audio (Opus in WebM in Chromium), which would have
 * to be decoded again before trimming, so every clip would pass through a lossy codec once more
 * than needed and its edges would land where the codec's frames fall. The worklet hands over the
 * exact samples, so trimming is sample-accurate, the level meter and the "stopped talking"
 * detector read the same samples, and the studio writes plain 16-bit WAV: the format every
 * browser decodes and the server can check byte by byte without a codec.
 */

/** The studio's clips are written at this rate: plenty for speech, half the size of 48 kHz. */
export const STUDIO_RATE = 24000;
export type MicSupport = { ok: true } | { ok: false; reason: 'insecure' | 'no-api' };

/**
 * The microphone needs a secure context: https, or http on localhost. A LAN address over http
 * (http://192.168.1.10:8080/admin) is not one, and the browser hides getUserMedia altogether.
 */
export function micSupport(): MicSupport {
  if (!window.isSecureContext) return { ok: false, reason: 'insecure' };
  if (!navigator.mediaDevices?.getUserMedia || typeof AudioWorkletNode === 'undefined') return { ok: false, reason: 'no-api' };
  return { ok: true };
}

export interface Recording {
  samples: Float32Array;
  rate: number;
}

export interface LiveLevel {
  /** The last ~20 ms, dBFS. */
  db: number;
  /** Voice has been heard in this recording (the auto-stop is armed). */
  heard: boolean;
  elapsedMs: number;
}

/** One recording from the microphone; `stop()` or the detector ends it. */
export class MicRecording {
  private chunks: Float32Array[] = [];
  private rate = 48000;
  private elapsedMs = 0;
  private readonly detector = new VoiceDetector();
  private finished: Promise<Recording>;
  private finish!: () => void;
  private stopped = false;

  private constructor(
    private readonly ctx: AudioContext,
    private readonly stream: MediaStream,
    private readonly node: AudioWorkletNode,
    onLevel: (l: LiveLevel) => void,
    autoStop: boolean,
  ) {
    this.finished = new Promise<Recording>((resolve) => {
      this.finish = () => resolve({ samples: concat(this.chunks), rate: this.rate });
    });
    node.port.onmessage = (e: MessageEvent<{ samples: Float32Array; rate: number }>) => {
      if (this.stopped) return;
      const { samples, rate } = e.data;
      this.rate = rate;
      this.chunks.push(samples);
      const ms = (samples.length * 1000) / rate;
      this.elapsedMs += ms;
      let sum = 0;
      for (const s of samples) sum += s * s;
      const db = dbOf(Math.sqrt(sum / samples.length));
      this.detector.push(db, ms);
      onLevel({ db, heard: this.detector.heard, elapsedMs: this.elapsedMs });
      if ((autoStop && this.detector.done) || this.elapsedMs >= MAX_RECORDING_MS) void this.stop();
    };
  }

  /** Asks for the microphone (the browser may ask the person) and starts recording. */
  static async start(onLevel: (l: LiveLevel) => void, opts: { autoStop: boolean }): Promise<MicRecording> {
    const stream = await navigator.mediaDevices.getUserMedia({
      // The studio evens the loudness itself; the browser's gain control would pump it per word.
      // Echo cancellation is for calls; noise suppression helps in a busy office.
      audio: { channelCount: 1, echoCancellation: false, autoGainControl: false, noiseSuppression: true },
    });
    const ctx = new AudioContext();
    try {
      await ctx.audioWorklet.addModule(captureWorkletUrl);
      const source = ctx.createMediaStreamSource(stream);
      const node = new AudioWorkletNode(ctx, 'luot-capture', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1, channelCountMode: 'explicit' });
      // Connected to the output (it writes silence) so the audio thread keeps running it.
      source.connect(node).connect(ctx.destination);
      await ctx.resume();
      return new MicRecording(ctx, stream, node, onLevel, opts.autoStop);
    } catch (e) {
      for (const t of stream.getTracks()) t.stop();
      await ctx.close();
      throw e;
    }
  }

  /** Resolves with the samples when the recording ends (by stop() or by itself). */
  get result(): Promise<Recording> {
    return this.finished;
  }

  async stop(): Promise<Recording> {
    if (!this.stopped) {
      this.stopped = true;
      this.node.port.onmessage = null;
      this.node.disconnect();
      for (const t of this.stream.getTracks()) t.stop();
      await this.ctx.close().catch(() => {});
      this.finish();
    }
    return this.finished;
  }
}

function concat(chunks: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Samples at another rate, through the browser's own resampler (an offline render). */
export async function resample(samples: Float32Array, from: number, to: number): Promise<Float32Array> {
  if (from === to || samples.length === 0) return samples;
  const ctx = new OfflineAudioContext(1, Math.max(1, Math.ceil((samples.length * to) / from)), to);
  const buffer = ctx.createBuffer(1, samples.length, from);
  buffer.copyToChannel(samples as Float32Array<ArrayBuffer>, 0);
  const source = ctx.createBufferSource();
  source.buffer = buffer;
  source.connect(ctx.destination);
  source.start();
  return (await ctx.startRendering()).getChannelData(0);
}

/**
 * A file recorded elsewhere (WAV, or anything the browser plays: MP3, M4A from a phone, Ogg),
 * decoded, mixed to mono and resampled to the studio's rate. Throws when it is not audio.
 */
export async function decodeAudioFile(bytes: ArrayBuffer): Promise<Recording> {
  const ctx = new OfflineAudioContext(1, 1, STUDIO_RATE);
  const buffer = await ctx.decodeAudioData(bytes);
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, i) => buffer.getChannelData(i));
  return { samples: mixToMono(channels), rate: buffer.sampleRate };
}
