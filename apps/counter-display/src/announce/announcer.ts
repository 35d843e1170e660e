import type { Snapshot } from '@luot/protocol';
import { announcementText, buildAnnouncement } from '@luot/domain';
import type { PlayControl, QueuedCall } from './announcement-queue.js';
import { AnnouncementQueue } from './announcement-queue.js';
import { ClipPlayer } from './clip-player.js';
import { HeardCalls, ServerClock } from './heard-calls.js';
import type { ChangeCause, HeardCall } from './new-calls.js';
import { newCalls, queueSettings } from './new-calls.js';
import { logPlayed, logVoice } from './played-log.js';

/** One call to read out. */
export interface Announcement extends QueuedCall {
  number: string;
  counterNumber: number;
  recall: boolean;
}

/** The caption of a call: the number in digits, as the board shows it; Vietnamese first. */
export function captionOf(a: Pick<Announcement, 'number' | 'counterNumber'>): { vi: string; en: string } {
  return { vi: `Mời công dân có số thứ tự ${a.number} đến quầy số ${a.counterNumber}`, en: `Number ${a.number}, please go to counter ${a.counterNumber}` };
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

/** The breath between the two readings of a repeated call, at normal speed. */
const REPEAT_GAP_MS = 600;

/**
 * The TV's voice: a chime, then the call read from recorded clips, one announcement at a time,
 * by the rules of AnnouncementQueue (newest per counter, never late, recall read again, repeat
 * if the center wants). Falls back to the browser's speech synthesis only when the clips are
 * unavailable and the system has a Vietnamese voice; otherwise the call is shown, not spoken.
 */
export class Announcer {
  readonly player = new ClipPlayer();
  private readonly queue: AnnouncementQueue<Announcement>;
  private readonly heard = new HeardCalls();
  private readonly clock = new ServerClock();
  private settingsApplied = '';
  /** Told what the caption shows: the call being read, or null when silent. */
  onCaption: (a: Announcement | null) => void = () => {};

  constructor(private readonly now: () => number = Date.now) {
    this.queue = new AnnouncementQueue<Announcement>((a, control) => this.read(a, control), {
      now,
      onError: (e) => console.warn('announcement failed', e),
      onStart: (a, control) => logVoice({ at: now(), kind: 'start', number: a.number, counter: a.counterNumber, recall: a.recall, detail: control.times }),
      onDrop: (a, reason) => logVoice({ at: now(), kind: 'drop', number: a.number, counter: a.counterNumber, recall: a.recall, detail: reason }),
      onCaption: (a) => {
        logVoice(a ? { at: now(), kind: 'caption', number: a.number, counter: a.counterNumber, recall: a.recall } : { at: now(), kind: 'caption' });
        this.onCaption(a);
      },
    });
    // Decode the fixed clips up front, while the hall is quiet, in the center's current voice.
    void this.player.refresh().then(() => {
      for (const clip of ['chime', 'intro', 'to-counter']) void this.player.load(clip);
    });
  }

  /**
   * Every state change of the TV goes through here: the center's settings apply, and calls
   * not heard before are queued. Returns those calls with when they reached the TV (the board
   * flashes their counters).
   */
  onState(state: Snapshot, cause: ChangeCause): HeardCall[] {
    const settings = queueSettings(state.center);
    const described = `lag=${settings.maxLagMs} repeat=${settings.repeat}`;
    if (described !== this.settingsApplied) {
      this.settingsApplied = described;
      this.queue.configure(settings);
      logVoice({ at: this.now(), kind: 'settings', detail: described });
    }
    const calls = newCalls(state, cause, this.heard, this.clock, this.now());
    for (const { call, heardAt } of calls) {
      logVoice({ at: this.now(), kind: 'heard', number: call.number, counter: call.counter.number, recall: call.recall });
      this.queue.enqueue({ counterId: call.counter.id, ticketId: call.ticketId, heardAt, number: call.number, counterNumber: call.counter.number, recall: call.recall });
    }
    // Logged after the calls it brought were queued, so a test that sees it sees their effect.
    if (cause.kind === 'snapshot') logVoice({ at: this.now(), kind: 'snapshot', detail: state.recentCalls.length });
    return calls;
  }

  get soundBlocked(): boolean {
    return this.player.state !== 'running';
  }

  async enableSound(): Promise<void> {
    await this.player.resume();
  }

  private async read(a: Announcement, control: PlayControl): Promise<void> {
    let how = 'complete';
    try {
      if (this.soundBlocked) {
        how = 'silent'; // shown on screen; the "enable sound" button is up
        return;
      }
      // A voice installed since the last call is fetched now, for this call.
      await this.player.refresh();
      const parts = buildAnnouncement(a.number, a.counterNumber);
      const clips = ['chime', ...parts.map((p) => p.clip)];
      const clipsOk = (await Promise.all(clips.map((c) => this.player.load(c)))).every(Boolean);
      if (clipsOk) {
        for (let time = 0; time < control.times; time++) {
          if (time > 0 && !control.cancelled) await this.pause(REPEAT_GAP_MS);
          for (const clip of time === 0 ? clips : clips.slice(1)) {
            if (control.cancelled) {
              how = 'cut';
              return;
            }
            logPlayed(clip);
            await this.player.play(clip);
          }
        }
        return;
      }
      const voice = vietnameseVoice();
      if (!voice) {
        how = 'silent';
        return;
      }
      if (await this.player.load('chime')) {
        logPlayed('chime');
        await this.player.play('chime');
      }
      const text = announcementText(parts);
      for (let time = 0; time < control.times; time++) {
        if (control.cancelled) {
          how = 'cut';
          return;
        }
        logPlayed(`speech:${text}`);
        await speak(text, voice);
      }
    } finally {
      logVoice({ at: this.now(), kind: 'end', number: a.number, counter: a.counterNumber, recall: a.recall, detail: how });
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms / this.player.rate));
  }
}
