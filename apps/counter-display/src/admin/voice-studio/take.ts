import { encodeWav, processClip } from './audio.js';
import type { Draft } from './drafts.js';
import { decodeAudioFile, resample, STUDIO_RATE, type Recording } from './recorder.js';

/** A take from the microphone, as it will be installed: resampled, trimmed, evened, WAV. */
export async function takeFromRecording(clip: string, rec: Recording): Promise<Draft> {
  const samples = await resample(rec.samples, rec.rate, STUDIO_RATE);
  const processed = processClip(samples, STUDIO_RATE);
  return { clip, wav: encodeWav(processed.samples, STUDIO_RATE), report: processed.report, source: 'mic', savedAt: Date.now() };
}

/** A file recorded elsewhere (any format the browser decodes), treated like a take. */
export async function takeFromFile(clip: string, file: Blob): Promise<Draft> {
  const rec = await decodeAudioFile(await file.arrayBuffer());
  const processed = processClip(await resample(rec.samples, rec.rate, STUDIO_RATE), STUDIO_RATE);
  return { clip, wav: encodeWav(processed.samples, STUDIO_RATE), report: processed.report, source: 'file', savedAt: Date.now() };
}
