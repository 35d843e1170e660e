import type { Call } from '@luot/protocol';

/** One call as the server lists it: ticket, counter, time and whether it was a recall. */
export function callKey(c: Pick<Call, 'ticketId' | 'counter' | 'calledAt' | 'recall'>): string {
  return `${c.ticketId}|${c.counter.id}|${c.calledAt}|${c.recall ? 'r' : 'c'}`;
}

/** The same ticket called (or recalled) at the same counter, whatever the time. */
function groupKey(c: Pick<Call, 'ticketId' | 'counter' | 'recall'>): string {
  return `${c.ticketId}|${c.counter.id}|${c.recall ? 'r' : 'c'}`;
}

interface Entry {
  key: string;
  group: string;
}

const LIMIT = 500;

/**
 * Every call this TV has heard of since the page loaded (read out, cut short or dropped alike),
 * so a snapshot after a reconnect or a resync announces only calls made while it was not
 * listening, never one it already had. Keyed by the call itself (ticket, counter, time, recall),
 * so a recall is a new call but the same call listed again in a snapshot is not.
 *
 * A recall's time may differ between the live event and the snapshot (older servers sent the
 * first call's time with a recall: issue 10). So calls a snapshot lists that match no exact
 * key are matched by count within their group (same ticket, counter and recall flag): if the TV
 * heard two recalls of 1001 at counter 1 and the snapshot lists three, only the newest one is
 * new. A group whose oldest entries fell out of the snapshot's window could hide one recall
 * made during a disconnection: rare, and silence is the safe side of that error.
 */
export class HeardCalls {
  private entries: Entry[] = [];
  private primed = false;

  /** False until the first snapshot: that one lists calls made before the TV was on. */
  get isPrimed(): boolean {
    return this.primed;
  }

  /** A call that arrived live (an event): always new, the reducer already dropped duplicates. */
  add(call: Pick<Call, 'ticketId' | 'counter' | 'calledAt' | 'recall'>): void {
    this.entries.push({ key: callKey(call), group: groupKey(call) });
    if (this.entries.length > LIMIT) this.entries.splice(0, this.entries.length - LIMIT);
  }

  /**
   * The calls of a snapshot (newest first, as the server lists them) that this TV never heard,
   * oldest first; afterwards all of them count as heard. The first snapshot after page load
   * marks everything heard and returns nothing: a TV switched on does not read the morning.
   */
  takeSnapshot(recentCalls: readonly Call[]): Call[] {
    const wasPrimed = this.primed;
    this.primed = true;
    const unmatchedLog = new Map<string, number>(); // key -> count not yet matched
    for (const e of this.entries) unmatchedLog.set(e.key, (unmatchedLog.get(e.key) ?? 0) + 1);
    const unmatchedCalls: Call[] = [];
    for (const c of recentCalls) {
      const k = callKey(c);
      const n = unmatchedLog.get(k) ?? 0;
      if (n > 0) unmatchedLog.set(k, n - 1);
      else unmatchedCalls.push(c);
    }
    // Log entries left over, per group: heard calls the snapshot lists under another time.
    const spare = new Map<string, number>();
    for (const e of this.entries) {
      const n = unmatchedLog.get(e.key) ?? 0;
      if (n > 0) {
        unmatchedLog.set(e.key, n - 1);
        spare.set(e.group, (spare.get(e.group) ?? 0) + 1);
      }
    }
    // unmatchedCalls is newest first: the oldest of a group are the ones matched to spare entries.
    const fresh: Call[] = [];
    for (let i = unmatchedCalls.length - 1; i >= 0; i--) {
      const c = unmatchedCalls[i] as Call;
      const g = groupKey(c);
      const n = spare.get(g) ?? 0;
      if (n > 0) spare.set(g, n - 1);
      else fresh.push(c);
    }
    // From now on the snapshot is the truth for the groups it lists (its times, its count).
    const listed = new Set(recentCalls.map(groupKey));
    this.entries = this.entries.filter((e) => !listed.has(e.group));
    for (let i = recentCalls.length - 1; i >= 0; i--) this.add(recentCalls[i] as Call);
    return wasPrimed ? fresh : [];
  }
}

/**
 * The server's clock as seen from the TV, to place a call found in a snapshot on the TV's clock
 * (a live call is simply "now"). TV and server clocks may differ by minutes (a TV box without
 * NTP): the offset is learnt from live calls as the smallest (TV time of arrival − server call
 * time) among the recent ones, i.e. the skew plus the quickest delivery. Until a live call has
 * been seen the clocks are taken to agree.
 */
export class ServerClock {
  private samples: number[] = [];

  observe(serverMs: number, tvMs: number): void {
    if (!Number.isFinite(serverMs)) return;
    this.samples.push(tvMs - serverMs);
    if (this.samples.length > 20) this.samples.shift();
  }

  get offsetMs(): number {
    return this.samples.length ? Math.min(...this.samples) : 0;
  }

  /** A server time on the TV's clock. */
  toTv(serverMs: number): number {
    return serverMs + this.offsetMs;
  }
}
