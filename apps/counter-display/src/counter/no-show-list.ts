import type { Ticket } from '@luot/protocol';

/** How many no-shows the desk lists (the server answers at most 20). */
export const NO_SHOWS_KEPT = 10;

/**
 * The desk's call-back list: today's no-shows the counter may still call back, newest first.
 * The server's list (GET /counters/:id/no-shows) is read after every snapshot (a reload, a
 * reconnect, a new day), and live events keep it current in between. A read takes a moment, so
 * what events changed while it was on its way wins over its answer: a no-show marked meanwhile
 * stays, and one called back meanwhile does not come back.
 */
export class NoShowList {
  private list: Ticket[] = [];
  private generation = 0;
  private addedSinceRead = new Set<string>();
  private removedSinceRead = new Set<string>();

  get tickets(): readonly Ticket[] {
    return this.list;
  }

  /** A ticket was marked no-show (at a counter serving its service). */
  add(t: Ticket): void {
    this.list = [t, ...this.list.filter((x) => x.id !== t.id)].slice(0, NO_SHOWS_KEPT);
    this.addedSinceRead.add(t.id);
    this.removedSinceRead.delete(t.id);
  }

  /** A ticket left the no-show state (called back, transferred, cancelled). */
  remove(id: string): void {
    this.list = this.list.filter((t) => t.id !== id);
    this.removedSinceRead.add(id);
    this.addedSinceRead.delete(id);
  }

  /** A read of the server's list starts; returns its token for `answered`. */
  startRead(): number {
    this.generation += 1;
    this.addedSinceRead.clear();
    this.removedSinceRead.clear();
    return this.generation;
  }

  /** The server's list arrived: false (and nothing changed) if a newer read has started since. */
  answered(token: number, server: readonly Ticket[]): boolean {
    if (token !== this.generation) return false;
    const fresh = this.list.filter((t) => this.addedSinceRead.has(t.id));
    const kept = server.filter((t) => !this.removedSinceRead.has(t.id) && !fresh.some((f) => f.id === t.id));
    this.list = [...fresh, ...kept].slice(0, NO_SHOWS_KEPT);
    return true;
  }
}
