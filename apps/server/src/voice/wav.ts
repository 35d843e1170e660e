/**
 * Reading the header of a WAV file, to check that an uploaded clip is one the TV can play and
 * the studio produces: PCM, 16-bit, mono, a sensible rate and length. Pure: bytes in, facts or a
 * refusal out. The samples are not changed here (the studio trims and evens them in the browser,
 * where the staff member can listen to the result before installing it).
 */

/** A clip is one word or a short phrase: the intro is about 2 s. */
export const MAX_CLIP_SECONDS = 8;
/** 8 s at 48 kHz, 16-bit mono is 768 kB; a little room for a header and metadata chunks. */
export const MAX_CLIP_BYTES = 1024 * 1024;
export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 48000;

export interface WavInfo {
  sampleRate: number;
  channels: 1;
  bitsPerSample: 16;
  /** Where the samples start and how many bytes they take. */
  dataOffset: number;
  dataBytes: number;
  durationMs: number;
}

/** Why a file is refused, in both languages (the admin page shows Vietnamese first). */
export class WavError extends Error {
  constructor(
    readonly en: string,
    readonly vi: string,
  ) {
    super(en);
    this.name = 'WavError';
  }
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

function tag(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at] ?? 0, b[at + 1] ?? 0, b[at + 2] ?? 0, b[at + 3] ?? 0);
}

/**
 * Checks a WAV file and returns where its samples are. Refuses anything else: another format
 * (Ogg, MP3, WebM, a renamed text file), compressed or float WAV, stereo, 8 or 24-bit, a rate
 * outside 8-48 kHz, an empty or over-long clip, a truncated file.
 */
export function parseWav(bytes: Uint8Array): WavInfo {
  const notWav = new WavError('The file is not a WAV file (RIFF/WAVE).', 'Tệp không phải tệp âm thanh WAV.');
  if (bytes.length < 12 || tag(bytes, 0) !== 'RIFF' || tag(bytes, 8) !== 'WAVE') throw notWav;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: { format: number; channels: number; rate: number; bits: number; blockAlign: number } | null = null;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = tag(bytes, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > bytes.length) throw notWav;
      let format = view.getUint16(body, true);
      // WAVE_FORMAT_EXTENSIBLE carries the real format in its sub-format GUID's first two bytes.
      if (format === WAVE_FORMAT_EXTENSIBLE && size >= 40) format = view.getUint16(body + 24, true);
      fmt = { format, channels: view.getUint16(body + 2, true), rate: view.getUint32(body + 4, true), blockAlign: view.getUint16(body + 12, true), bits: view.getUint16(body + 14, true) };
    } else if (id === 'data') {
      if (!fmt) throw notWav;
      if (fmt.format !== WAVE_FORMAT_PCM || fmt.bits !== 16) {
        throw new WavError('Only 16-bit PCM WAV is accepted.', 'Chỉ nhận tệp WAV PCM 16-bit.');
      }
      if (fmt.channels !== 1 || fmt.blockAlign !== 2) throw new WavError('Only mono WAV is accepted.', 'Chỉ nhận tệp WAV một kênh (mono).');
      if (fmt.rate < MIN_SAMPLE_RATE || fmt.rate > MAX_SAMPLE_RATE) {
        throw new WavError(`The sample rate must be ${MIN_SAMPLE_RATE}-${MAX_SAMPLE_RATE} Hz.`, `Tần số lấy mẫu phải từ ${MIN_SAMPLE_RATE} đến ${MAX_SAMPLE_RATE} Hz.`);
      }
      if (body + size > bytes.length) throw new WavError('The WAV file is cut short.', 'Tệp WAV bị thiếu dữ liệu (bị cắt ngắn).');
      if (size < 2) throw new WavError('The recording is empty.', 'Bản ghi trống.');
      const durationMs = Math.round(((size / 2) * 1000) / fmt.rate);
      if (durationMs > MAX_CLIP_SECONDS * 1000) {
        throw new WavError(`A clip may last at most ${MAX_CLIP_SECONDS} s.`, `Mỗi đoạn ghi âm dài tối đa ${MAX_CLIP_SECONDS} giây.`);
      }
      return { sampleRate: fmt.rate, channels: 1, bitsPerSample: 16, dataOffset: body, dataBytes: size, durationMs };
    }
    // Chunks are padded to an even length.
    at = body + size + (size % 2);
  }
  throw notWav;
}

/** A minimal PCM 16-bit mono WAV (for tests and tools; the studio writes the same layout). */
export function wavFile(samples: Int16Array, sampleRate: number): Uint8Array {
  const out = new Uint8Array(44 + samples.length * 2);
  const v = new DataView(out.buffer);
  const put = (at: number, s: string) => [...s].forEach((c, i) => (out[at + i] = c.charCodeAt(0)));
  put(0, 'RIFF');
  v.setUint32(4, 36 + samples.length * 2, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, WAVE_FORMAT_PCM, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  put(36, 'data');
  v.setUint32(40, samples.length * 2, true);
  samples.forEach((s, i) => v.setInt16(44 + i * 2, s, true));
  return out;
}
