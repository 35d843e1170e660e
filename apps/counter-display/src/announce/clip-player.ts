/**
 * Plays recorded clips through Web Audio. Clips are fetched and decoded once and kept, so an
 * announcement never waits on the network in the middle of a sentence.
 *
 * Where clips come from (docs/voice.md): first `/voice/vi/<clip>.ogg`, the server's folder for a
 * center's own recordings; if that has no such file, the default set built into this app at
 * `/ui/voice/vi/<clip>.ogg`. A file is tried per clip, so a center may replace just some words.
 */
export const CUSTOM_VOICE_BASE = '/voice/vi/';
/** Changes whenever the center's own clips change (apps/server/src/http/voice.routes.ts). */
export const VOICE_VERSION_URL = '/api/v1/voice/vi/version';
export const DEFAULT_VOICE_BASE = `${import.meta.env.BASE_URL}voice/vi/`;

export class ClipPlayer {
  readonly ctx: AudioContext;
  /**
   * Playback speed, 1 = as recorded. Kept for tests (the e2e suite plays at 4x so it does not
   * wait on real-time speech); also lowers the pitch if slowed, so leave it at 1 on a real TV.
   */
  rate = 1;
  private readonly buffers = new Map<string, Promise<AudioBuffer | null>>();
  /** The center's voice version the kept clips were fetched under; null before the first answer. */
  private version: string | null = null;
  private checking: Promise<void> | null = null;

  constructor(private readonly bases: readonly string[] = [CUSTOM_VOICE_BASE, DEFAULT_VOICE_BASE]) {
    this.ctx = new AudioContext();
  }

  /** 'running' once the browser lets the page make sound (a tap, or the kiosk autoplay flag). */
  get state(): AudioContextState {
    return this.ctx.state;
  }

  async resume(): Promise<void> {
    await this.ctx.resume();
  }

  /**
   * Asks the server whether the center's voice changed (a voice installed from the admin's voice
   * studio, or clips dropped into the voice folder); if it did, the kept clips are dropped and the
   * next load fetches them again, with the version in the URL so no cache answers with the old
   * sound. Called before each announcement, so the TV speaks with a new voice from the next call,
   * with no reload. No answer within a second (server away, an older server without the route)
   * keeps the clips as they are.
   */
  refresh(): Promise<void> {
    this.checking ??= (async () => {
      try {
        const res = await fetch(VOICE_VERSION_URL, { cache: 'no-store', signal: AbortSignal.timeout(1000) });
        if (!res.ok) return;
        const { version } = (await res.json()) as { version?: unknown };
        if (typeof version !== 'string' || version === this.version) return;
        this.version = version;
        this.buffers.clear();
      } catch {
        // Keep what we have: a voice that is a little old beats a silent TV.
      } finally {
        this.checking = null;
      }
    })();
    return this.checking;
  }

  /** The decoded clip, or null when no folder has it (or it is not audio). */
  load(clip: string): Promise<AudioBuffer | null> {
    let p = this.buffers.get(clip);
    if (!p) {
      p = this.fetchFirst(clip);
      this.buffers.set(clip, p);
    }
    return p;
  }

  private async fetchFirst(clip: string): Promise<AudioBuffer | null> {
    for (const base of this.bases) {
      try {
        const res = await fetch(`${base}${clip}.ogg${this.version ? `?v=${encodeURIComponent(this.version)}` : ''}`);
        if (!res.ok) continue;
        // A server without the custom folder may answer with the SPA's HTML: not audio, skip it.
        if ((res.headers.get('content-type') ?? '').startsWith('text/')) continue;
        return await this.ctx.decodeAudioData(await res.arrayBuffer());
      } catch {
        // Not there or not decodable: try the next folder.
      }
    }
    return null;
  }

  /**
   * Plays one clip to its end. Resolves false when the clip cannot be played. Never hangs: if
   * the audio device stalls and `ended` never fires, a timer ends the clip (peers' announcements
   * "died after hours": one lost event must not silence the TV for the rest of the day).
   */
  async play(clip: string): Promise<boolean> {
    const buffer = await this.load(clip);
    if (!buffer || this.ctx.state !== 'running') return false;
    const source = this.ctx.createBufferSource();
    source.buffer = buffer;
    source.playbackRate.value = this.rate;
    source.connect(this.ctx.destination);
    await new Promise<void>((resolve) => {
      const guard = setTimeout(done, (buffer.duration / this.rate) * 1000 + 1500);
      function done() {
        clearTimeout(guard);
        resolve();
      }
      source.onended = done;
      source.start();
    });
    source.disconnect();
    return true;
  }
}
