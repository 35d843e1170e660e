import type { Counter, Snapshot } from '@luot/protocol';
import type { Actor } from '../queue/actor.js';

/**
 * What each kind of screen may see of the queue, and no more (issue 12). Staff screens (counter
 * tablets, the admin pages) see who works at which counter; screens facing the public (the TV,
 * the rating tablet, the kiosk) never see a person: no officer on a counter. Phones see only their
 * own ticket (ticket-watch). The same rule holds for the snapshot, every event and GET /counters,
 * so a public screen's state still equals a fresh snapshot of its own after every event.
 */
export type Audience = 'staff' | 'public';

export const audienceOf = (actor: Actor): Audience => (actor.role === 'admin' || actor.role === 'officer' ? 'staff' : 'public');

/** The socket.io room of each audience: an event is encoded once per room, not once per screen. */
export const QUEUE_ROOM: Record<Audience, string> = { staff: 'queue:staff', public: 'queue:public' };

export function publicCounter(c: Counter): Counter {
  if (!('officer' in c)) return c;
  const { officer: _staffOnly, ...rest } = c;
  return rest;
}

// The queue shares one snapshot object per (seq, minute) across screens: its public view is built
// once per object too, not once per connecting TV (500 of them after a Wi-Fi drop).
const publicSnapshots = new WeakMap<Snapshot, Snapshot>();

/**
 * A public screen's snapshot: what it shows (the center, services with their waiting counts and
 * estimates, counters without their officer, recent calls), not the waiting list (issue 14: with
 * 2,000 waiting it was 300 kB a TV, 500 TVs reconnecting held 500 copies). `waitingOmitted` tells
 * the shared reducer to keep the list empty as events come.
 */
export function publicSnapshot(s: Snapshot): Snapshot {
  let p = publicSnapshots.get(s);
  if (!p) {
    p = { ...s, counters: s.counters.map(publicCounter), waiting: [], waitingOmitted: true };
    publicSnapshots.set(s, p);
  }
  return p;
}

export const snapshotFor = (audience: Audience, s: Snapshot): Snapshot => (audience === 'staff' ? s : publicSnapshot(s));
