/**
 * Plays announcements strictly one after another. Calls arrive whenever officers press buttons,
 * often several in the same second; peers let them overlap or cut each other off (novosga#78,
 * FQM#138). Here one worker takes items in arrival order and awaits each to the end before the
 * next. A failing item (a missing clip, a stalled audio device) is reported and skipped, never
 * blocking the ones behind it. Knows nothing about audio: `play` is injected.
 */
export class AnnouncementQueue<T> {
  private readonly items: T[] = [];
  private running = false;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly play: (item: T) => Promise<void>,
    private readonly opts: {
      /** Beyond this many waiting items the oldest are dropped: after a burst, the TV catches up. */
      maxPending?: number;
      onError?: (error: unknown, item: T) => void;
      onDrop?: (item: T) => void;
    } = {},
  ) {}

  enqueue(item: T): void {
    this.items.push(item);
    const max = this.opts.maxPending ?? 20;
    while (this.items.length > max) {
      const dropped = this.items.shift();
      if (dropped !== undefined) this.opts.onDrop?.(dropped);
    }
    if (!this.running) void this.drain();
  }

  /** Items waiting, not counting the one playing. */
  get pending(): number {
    return this.items.length;
  }

  get busy(): boolean {
    return this.running;
  }

  /** Resolves when nothing is playing or waiting. */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let item = this.items.shift(); item !== undefined; item = this.items.shift()) {
        try {
          await this.play(item);
        } catch (e) {
          this.opts.onError?.(e, item);
        }
      }
    } finally {
      this.running = false;
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
    }
  }
}
