/**
 * Decides which calls the TV reads out, and when. Pure: no audio, no timers; `play` and the clock
 * are injected, so the rules are tested with a fake clock and a player the test finishes by hand.
 *
 * The rules (docs/voice.md):
 * - One announcement at a time, each to its end: peers let calls overlap or cut each other off
 *   (novosga#78, FQM#138). A failing one (a missing clip, a stalled device) is reported and
 *   skipped, never blocking the ones behind it.
 * - Newest per counter: a call replaces any call of the same counter still waiting to be read,
 *   so when calls pile up the TV reads what the board shows, not a backlog of numbers the
 *   officer has already finished with. If the counter's call being read is for another ticket,
 *   that reading stops at the next clip (`control.cancelled`) and the caption moves on at once:
 *   an outdated number would send a citizen to a counter that serves someone else.
 * - Never late: an announcement that would start more than `maxLagMs` after its call reached
 *   the TV (`heardAt`, on the TV's clock) is dropped; the board already shows it.
 * - A recall is a call of its own and is read again, even right after the first call.
 * - `repeat` reads each call twice (one chime, the sentence twice).
 */
export interface QueuedCall {
  counterId: number;
  ticketId: string;
  /** When the call reached the TV, on the TV's clock (ms): lag is measured from here. */
  heardAt: number;
}

export interface QueueSettings {
  maxLagMs: number;
  repeat: boolean;
}

/** Defaults when the center has not set them (CenterInfo fields absent). */
export const DEFAULT_QUEUE_SETTINGS: QueueSettings = { maxLagMs: 10_000, repeat: false };

/** Handed to `play` with each announcement. */
export interface PlayControl {
  /** How many times to read the sentence: 2 with the center's "repeat" setting. */
  readonly times: number;
  /** Set when a newer call at the same counter made this one outdated: stop at the next clip. */
  readonly cancelled: boolean;
}

/** superseded: replaced while waiting; cut: stopped while being read; late; overflow. */
export type DropReason = 'superseded' | 'cut' | 'late' | 'overflow';

export interface AnnouncementQueueOptions<T> {
  /** The TV's clock, in ms (Date.now on a TV; a variable in tests). */
  now: () => number;
  settings?: QueueSettings;
  /** Beyond this many waiting items the oldest are dropped (a guard; newest-per-counter keeps it short). */
  maxPending?: number;
  onError?: (error: unknown, item: T) => void;
  /** An item that will not be read (to its end), and why. */
  onDrop?: (item: T, reason: DropReason) => void;
  /** An item starts being read. */
  onStart?: (item: T, control: PlayControl) => void;
  /** What the caption shows: the call being read, or null when the TV is silent. */
  onCaption?: (item: T | null) => void;
}

interface Playing<T> {
  item: T;
  control: { times: number; cancelled: boolean };
  /** The newer call of the same counter that cut this one short, shown in the caption meanwhile. */
  supersededBy: T | null;
}

export class AnnouncementQueue<T extends QueuedCall> {
  private items: T[] = [];
  private current: Playing<T> | null = null;
  private running = false;
  private waiters: (() => void)[] = [];
  private settings: QueueSettings;
  private shown: T | null = null;

  constructor(
    private readonly play: (item: T, control: PlayControl) => Promise<void>,
    private readonly opts: AnnouncementQueueOptions<T>,
  ) {
    this.settings = opts.settings ?? DEFAULT_QUEUE_SETTINGS;
  }

  /** The center's settings; they apply from the next announcement that starts. */
  configure(settings: QueueSettings): void {
    this.settings = settings;
  }

  enqueue(item: T): void {
    // Newest per counter: whatever of this counter still waits is now outdated.
    const kept: T[] = [];
    for (const waiting of this.items) {
      if (waiting.counterId === item.counterId) this.opts.onDrop?.(waiting, 'superseded');
      else kept.push(waiting);
    }
    this.items = kept;
    const playing = this.current;
    if (playing && playing.item.counterId === item.counterId && playing.item.ticketId !== item.ticketId) {
      // Another ticket at the same counter: stop reading the old number. A recall of the number
      // being read does not cut it: the citizen hears it again after.
      if (!playing.control.cancelled) this.opts.onDrop?.(playing.item, 'cut');
      playing.control.cancelled = true;
      playing.supersededBy = item;
    }
    this.items.push(item);
    const max = this.opts.maxPending ?? 20;
    while (this.items.length > max) {
      const dropped = this.items.shift();
      if (dropped !== undefined) this.opts.onDrop?.(dropped, 'overflow');
    }
    this.updateCaption();
    if (!this.running) void this.drain();
  }

  /** Items waiting, not counting the one being read. */
  get pending(): number {
    return this.items.length;
  }

  get busy(): boolean {
    return this.running;
  }

  /** The call the caption shows now (null: silent). */
  get caption(): T | null {
    return this.shown;
  }

  /** Resolves when nothing is being read or waiting. */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Takes the next item that may still start, dropping those that would start too late. */
  private next(): T | undefined {
    for (let item = this.items.shift(); item !== undefined; item = this.items.shift()) {
      if (this.opts.now() - item.heardAt > this.settings.maxLagMs) {
        this.opts.onDrop?.(item, 'late');
        continue;
      }
      return item;
    }
    return undefined;
  }

  private updateCaption(): void {
    const c = this.current;
    // A reading cut short shows the call that replaced it at once, never the outdated number.
    const shown = c ? (c.supersededBy ?? c.item) : null;
    if (shown === this.shown) return;
    this.shown = shown;
    this.opts.onCaption?.(shown);
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let item = this.next(); item !== undefined; item = this.next()) {
        const control = { times: this.settings.repeat ? 2 : 1, cancelled: false };
        this.current = { item, control, supersededBy: null };
        this.updateCaption();
        this.opts.onStart?.(item, control);
        try {
          await this.play(item, control);
        } catch (e) {
          this.opts.onError?.(e, item);
        }
        // The caption stays until the next one starts (no flicker to "silent" between calls).
        this.current = null;
      }
    } finally {
      this.current = null;
      this.running = false;
      this.updateCaption();
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
    }
  }
}
