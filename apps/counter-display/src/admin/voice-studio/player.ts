/**
 * Plays clips in the studio: one take, or a whole call put together the way the TV does it
 * (chime, then each clip straight after the other). Clips are scheduled back to back on the
 * audio clock, so what the staff member hears is how the words join on the TV.
 */
export type ClipSource = 'draft' | 'custom' | 'built-in';

export interface PlayedClip {
  clip: string;
  source: ClipSource;
}

declare global {
  interface Window {
    /** Every clip the studio's preview started, with where it came from (for the e2e tests). */
    __luotStudioPlayed?: PlayedClip[];
  }
}

export class StudioPlayer {
  private ctx: AudioContext | null = null;
  private readonly fetched = new Map<string, Promise<AudioBuffer | null>>();
  private playing: AudioBufferSourceNode[] = [];
  private timers: ReturnType<typeof setTimeout>[] = [];

  private context(): AudioContext {
    this.ctx ??= new AudioContext();
    return this.ctx;
  }

  /** A WAV take from the drafts. */
  decode(wav: Uint8Array): Promise<AudioBuffer> {
    // decodeAudioData detaches the buffer it is given: hand it a copy.
    return this.context().decodeAudioData(wav.slice().buffer);
  }

  /** A clip as installed (or built in), by URL; null when the server has none. */
  fetch(url: string): Promise<AudioBuffer | null> {
    let p = this.fetched.get(url);
    if (!p) {
      p = fetch(url)
        .then(async (r) => (r.ok && !(r.headers.get('content-type') ?? '').startsWith('text/') ? this.context().decodeAudioData(await r.arrayBuffer()) : null))
        .catch(() => null);
      this.fetched.set(url, p);
    }
    return p;
  }

  stop(): void {
    for (const s of this.playing) {
      try {
        s.stop();
      } catch {
        /* not started yet */
      }
    }
    for (const t of this.timers) clearTimeout(t);
    this.playing = [];
    this.timers = [];
  }

  /** Plays the clips one after the other; `onClip(i)` as each starts. Resolves at the end. */
  async play(clips: readonly (PlayedClip & { buffer: AudioBuffer })[], onClip: (i: number | null) => void = () => {}): Promise<void> {
    this.stop();
    const ctx = this.context();
    await ctx.resume();
    let at = ctx.currentTime + 0.05;
    const startedAt = ctx.currentTime;
    const log = (window.__luotStudioPlayed ??= []);
    clips.forEach((c, i) => {
      const source = ctx.createBufferSource();
      source.buffer = c.buffer;
      source.connect(ctx.destination);
      source.start(at);
      this.playing.push(source);
      this.timers.push(
        setTimeout(() => {
          log.push({ clip: c.clip, source: c.source });
          if (log.length > 500) log.splice(0, log.length - 500);
          onClip(i);
        }, (at - startedAt) * 1000),
      );
      at += c.buffer.duration;
    });
    await new Promise<void>((resolve) => this.timers.push(setTimeout(resolve, (at - startedAt) * 1000 + 50)));
    onClip(null);
  }
}
