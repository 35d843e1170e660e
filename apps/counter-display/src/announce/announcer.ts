import type { AnnouncementPart } from '@luot/domain';
import { announcementText, buildAnnouncement } from '@luot/domain';
import { AnnouncementQueue } from './announcement-queue.js';
import { ClipPlayer } from './clip-player.js';
import { logPlayed } from './played-log.js';

export interface CallToAnnounce {
  number: string;
  counterNumber: number;
}

/** A Vietnamese browser voice, if the system has one (Electron and many Linux builds have none). */
function vietnameseVoice(): SpeechSynthesisVoice | null {
  if (typeof speechSynthesis === 'undefined') return null;
  return speechSynthesis.getVoices().find((v) => v.lang.toLowerCase().startsWith('vi')) ?? null;
}

function speak(text: string, voice: SpeechSynthesisVoice): Promise<void> {
  return new Promise((resolve) => {
    const u = new SpeechSynthesisUtterance(text);
    u.voice = voice;
    u.lang = voice.lang;
    u.rate = 0.9;
    const guard = setTimeout(resolve, 15_000);
    u.onend = u.onerror = () => {
      clearTimeout(guard);
      resolve();
    };
    speechSynthesis.speak(u);
  });
}

/**
 * The TV's voice: a chime, then the call read from recorded clips, one announcement at a time.
 * Falls back to the browser's speech synthesis only when the clips are unavailable and the
 * system has a Vietnamese voice; otherwise the call is shown, not spoken.
 */
export class Announcer {
  readonly player = new ClipPlayer();
  private readonly queue: AnnouncementQueue<AnnouncementPart[]>;
  /** Told when an announcement starts, and null once the queue is empty, to caption it. */
  onSpeaking: (text: string | null) => void = () => {};

  constructor() {
    this.queue = new AnnouncementQueue((parts) => this.playParts(parts), {
      onError: (e) => console.warn('announcement failed', e),
    });
    // Decode the whole set up front, while the hall is quiet.
    for (const clip of ['chime', 'intro', 'to-counter']) void this.player.load(clip);
  }

  announce(call: CallToAnnounce): void {
    this.queue.enqueue(buildAnnouncement(call.number, call.counterNumber));
  }

  get soundBlocked(): boolean {
    return this.player.state !== 'running';
  }

  async enableSound(): Promise<void> {
    await this.player.resume();
  }

  private async playParts(parts: AnnouncementPart[]): Promise<void> {
    const text = announcementText(parts);
    this.onSpeaking(text);
    try {
      if (this.soundBlocked) return; // shown on screen; the "enable sound" button is up
      const clipsOk = (await Promise.all(['chime', ...parts.map((p) => p.clip)].map((c) => this.player.load(c)))).every(Boolean);
      if (clipsOk) {
        for (const clip of ['chime', ...parts.map((p) => p.clip)]) {
          logPlayed(clip);
          await this.player.play(clip);
        }
        return;
      }
      const voice = vietnameseVoice();
      if (voice) {
        if (await this.player.load('chime')) {
          logPlayed('chime');
          await this.player.play('chime');
        }
        logPlayed(`speech:${text}`);
        await speak(text, voice);
      }
    } finally {
      // Clear the caption only when nothing follows, so the screen reads "idle" only when idle.
      if (this.queue.pending === 0) this.onSpeaking(null);
    }
  }
}
