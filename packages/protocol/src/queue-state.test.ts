import { estimateWaitMinutes } from '@luot/domain';
import { describe, expect, it } from 'vitest';
import type { QueueEvent } from './events.js';
import { applyQueueEvent, RECENT_CALLS_LIMIT } from './queue-state.js';
import type { Call, Counter, Service, Snapshot, Ticket } from './schemas.js';

const ticket = (id: string, number: string, status: Ticket['status'], extra: Partial<Ticket> = {}): Ticket => ({
  id: id.padEnd(16, 'x'),
  number,
  serviceId: 1,
  priority: false,
  status,
  issuedAt: '2025-11-23T08:00:00+07:00',
  ...extra,
});
const counter = (id: number, current?: Ticket): Counter => ({ id, number: id, name: `Quầy ${id}`, serviceIds: [1], state: 'open', ...(current ? { currentTicket: current } : {}) });
const ref = (id: number) => ({ id, number: id, name: `Quầy ${id}` });

function snapshot(over: Partial<Snapshot> = {}): Snapshot {
  return { seq: 10, businessDay: '2025-11-23', services: [], counters: [counter(1), counter(2)], waiting: [], recentCalls: [], ...over };
}

describe('applyQueueEvent', () => {
  it('puts a called ticket on its counter and a done ticket off it', () => {
    const called = ticket('a', '1001', 'called', { calledAt: '2025-11-23T08:05:00+07:00', counterId: 1 });
    const r1 = applyQueueEvent(snapshot(), { type: 'ticket:called', payload: { seq: 11, ticket: called, counter: ref(1), recall: false } });
    if (!r1.ok) throw new Error('not applied');
    expect(r1.state.counters[0]?.currentTicket?.number).toBe('1001');
    const r2 = applyQueueEvent(r1.state, { type: 'ticket:updated', payload: { seq: 12, ticket: { ...called, status: 'done' } } });
    if (!r2.ok) throw new Error('not applied');
    expect(r2.state.counters[0]?.currentTicket).toBeUndefined();
    expect(r2.state.seq).toBe(12);
  });

  it('takes a transferred ticket off the counter and back into the waiting list', () => {
    const called = ticket('a', '1001', 'called', { counterId: 1 });
    const s = snapshot({ counters: [counter(1, called), counter(2)] });
    const r = applyQueueEvent(s, { type: 'ticket:updated', payload: { seq: 11, ticket: { ...called, status: 'waiting', serviceId: 2 } } });
    if (!r.ok) throw new Error('not applied');
    expect(r.state.counters[0]?.currentTicket).toBeUndefined();
    expect(r.state.waiting.map((t) => t.number)).toEqual(['1001']);
  });

  it('leaves other counters alone and keeps the seq rules of applyQueueEvent', () => {
    const other = ticket('b', '2001', 'called', { counterId: 2 });
    const s = snapshot({ counters: [counter(1), counter(2, other)] });
    const done = ticket('a', '1001', 'done');
    const r = applyQueueEvent(s, { type: 'ticket:updated', payload: { seq: 11, ticket: done } });
    expect(r.ok && r.state.counters[1]?.currentTicket?.number).toBe('2001');
    expect(applyQueueEvent(s, { type: 'ticket:updated', payload: { seq: 13, ticket: done } })).toEqual({ ok: false, reason: 'gap' });
    expect(applyQueueEvent(s, { type: 'ticket:updated', payload: { seq: 10, ticket: done } })).toEqual({ ok: false, reason: 'stale' });
  });
});

describe('applyQueueEvent: admin changes', () => {
  const svc = (id: number, name: string, active = true) => ({ id, code: `s${id}`, name: { vi: name, en: name }, prefix: String(id), open: true, waiting: 0, estimatedWaitMinutes: 0, active });
  it('renames, adds and removes a service, and updates the center line', () => {
    const s = snapshot({ services: [svc(1, 'Đất đai'), svc(2, 'Hộ tịch')] });
    const r1 = applyQueueEvent(s, { type: 'service:updated', payload: { seq: 11, service: svc(1, 'Đất đai - Nhà ở') } });
    if (!r1.ok) throw new Error('not applied');
    expect(r1.state.services.map((x) => x.name.vi)).toEqual(['Đất đai - Nhà ở', 'Hộ tịch']);
    const r2 = applyQueueEvent(r1.state, { type: 'service:updated', payload: { seq: 12, service: svc(3, 'Xây dựng') } });
    if (!r2.ok) throw new Error('not applied');
    expect(r2.state.services.map((x) => x.id)).toEqual([1, 2, 3]);
    const r3 = applyQueueEvent(r2.state, { type: 'service:updated', payload: { seq: 13, service: svc(2, 'Hộ tịch', false) } });
    if (!r3.ok) throw new Error('not applied');
    expect(r3.state.services.map((x) => x.id)).toEqual([1, 3]);
    const r4 = applyQueueEvent(r3.state, { type: 'center:updated', payload: { seq: 14, center: { name: 'UBND', tickerText: 'Xin chào' } } });
    expect(r4.ok && r4.state.center).toEqual({ name: 'UBND', tickerText: 'Xin chào' });
  });
});

// ---------------------------------------------------------------------------------------------
// Randomized: the reducer against a small model of the server.
//
// `ServerModel` keeps the queue's state as apps/server keeps it in SQLite and produces, for each
// action, the events apps/server/src/queue/queue.ts emits (same order, same payloads) and, at any
// moment, the snapshot `buildSnapshot` would answer. A simulated screen starts from a snapshot and
// then only applies events through `applyQueueEvent`; events are lost now and then (a gap: the
// screen takes a fresh snapshot, as `queue:sync` gives it), the screen goes offline for a few
// actions (a reconnect: a fresh snapshot), old events come again (stale: ignored), counters recall,
// rename, transfer, pause, and midnight passes (the server cancels yesterday's open tickets and
// pushes a fresh snapshot). After every action, a screen that has every event must equal a fresh
// snapshot exactly, and one that is behind must equal the snapshot taken when the server was at
// its seq.
//
// Where the model follows the server as it must be rather than as it was when this was written,
// the line says SERVER: (the server's side of the rule, see the client engineer's report).
// ---------------------------------------------------------------------------------------------

/** Seeded PRNG (mulberry32): a failing seed replays exactly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface MTicket {
  id: string;
  number: string;
  serviceId: number;
  priority: boolean;
  status: Ticket['status'];
  day: string;
  issuedAt: number;
  queuedAt: number;
  rowid: number;
  calledAt: number | null;
  completedAt: number | null;
  counterId: number | null;
}
interface MCounter {
  id: number;
  number: number;
  name: string;
  serviceIds: number[];
  state: Counter['state'];
  active: boolean;
  officer: { id: number; username: string } | null;
  current: string | null;
}
interface MService {
  id: number;
  name: string;
  prefix: string;
  active: boolean;
  defaultMinutes: number;
}
interface MCall {
  id: number;
  ticketId: string;
  at: number;
  recall: boolean;
  serviceId: number;
  counter: { id: number; number: number; name: string };
}

const DAY_MS = 24 * 3600_000;
const START = Date.parse('2026-11-23T01:00:00.000Z');

class ServerModel {
  now = START;
  dayIndex = 0;
  rolledDay = 0;
  seq = 40;
  private rowid = 0;
  private callId = 0;
  tickets = new Map<string, MTicket>();
  calls: MCall[] = [];
  daySeq = new Map<string, number>();
  center: { name: string; tickerText: string } = { name: 'UBND phường', tickerText: 'Xin chào' };
  services: MService[] = [
    { id: 1, name: 'Đất đai', prefix: '1', active: true, defaultMinutes: 10 },
    { id: 2, name: 'Hộ tịch', prefix: '2', active: true, defaultMinutes: 6 },
    { id: 3, name: 'Chứng thực', prefix: '3', active: true, defaultMinutes: 4 },
  ];
  counters: MCounter[] = [1, 2, 3, 4].map((n) => ({ id: n, number: n, name: `Quầy ${n}`, serviceIds: n === 4 ? [1, 2, 3] : [n], state: 'closed', active: true, officer: null, current: null }));
  private events: QueueEvent[] = [];

  get businessDay(): string {
    return new Date(START + this.dayIndex * DAY_MS).toISOString().slice(0, 10);
  }
  private iso = (ms: number) => new Date(ms).toISOString();

  // ---- views (apps/server/src/queue/views.ts) ----
  private ahead(t: MTicket): number {
    let n = 0;
    for (const o of this.tickets.values()) {
      if (o.status !== 'waiting' || o.serviceId !== t.serviceId || o.id === t.id) continue;
      if (o.priority !== t.priority) n += o.priority ? 1 : 0;
      else if (o.queuedAt < t.queuedAt || (o.queuedAt === t.queuedAt && o.rowid < t.rowid)) n++;
    }
    return n;
  }
  private waitFor(serviceId: number, ahead: number): number {
    const done = [...this.tickets.values()]
      .filter((t) => t.status === 'done' && t.serviceId === serviceId && t.completedAt !== null && t.calledAt !== null)
      .sort((a, b) => b.completedAt! - a.completedAt!)
      .slice(0, 20)
      .map((t) => (t.completedAt! - t.calledAt!) / 1000);
    const openCounters = this.counters.filter((c) => c.state === 'open' && c.serviceIds.includes(serviceId)).length;
    return estimateWaitMinutes({ ahead, recentServiceSeconds: done, openCounters, defaultServiceMinutes: this.services.find((s) => s.id === serviceId)?.defaultMinutes ?? 10 });
  }
  ticketView(t: MTicket, withPosition = false): Ticket {
    const v: Ticket = { id: t.id, number: t.number, serviceId: t.serviceId, priority: t.priority, status: t.status, issuedAt: this.iso(t.issuedAt) };
    if (t.calledAt !== null) v.calledAt = this.iso(t.calledAt);
    if (t.completedAt !== null) v.completedAt = this.iso(t.completedAt);
    if (t.counterId !== null && t.status !== 'waiting') v.counterId = t.counterId;
    if (withPosition && t.status === 'waiting') {
      v.ahead = this.ahead(t);
      v.estimatedWaitMinutes = this.waitFor(t.serviceId, v.ahead);
    }
    return v;
  }
  serviceView(s: MService): Service {
    const waiting = [...this.tickets.values()].filter((t) => t.status === 'waiting' && t.serviceId === s.id).length;
    return { id: s.id, code: `s${s.id}`, name: { vi: s.name, en: s.name }, prefix: s.prefix, open: s.active, waiting, estimatedWaitMinutes: this.waitFor(s.id, waiting), active: s.active };
  }
  counterView(c: MCounter): Counter {
    const v: Counter = { id: c.id, number: c.number, name: c.name, serviceIds: [...c.serviceIds], state: c.state, active: c.active };
    if (c.officer) v.officer = { ...c.officer };
    const cur = c.current ? this.tickets.get(c.current) : undefined;
    if (cur) v.currentTicket = this.ticketView(cur);
    return v;
  }
  private servicesById(ids: Iterable<number>): Service[] {
    const out: Service[] = [];
    for (const id of new Set(ids)) {
      const s = this.services.find((x) => x.id === id);
      if (s) out.push(this.serviceView(s));
    }
    return out;
  }

  /** `buildSnapshot`. */
  snapshot(): Snapshot {
    const waitingRows = [...this.tickets.values()].filter((t) => t.status === 'waiting').sort((a, b) => a.queuedAt - b.queuedAt || a.rowid - b.rowid);
    const recentCalls: Call[] = [];
    const latest = [...this.calls].sort((a, b) => b.at - a.at || b.id - a.id).slice(0, RECENT_CALLS_LIMIT);
    for (const c of latest) {
      const t = this.tickets.get(c.ticketId)!;
      if (t.day !== this.businessDay) continue;
      recentCalls.push({ ticketId: t.id, number: t.number, serviceId: c.serviceId, counter: { ...c.counter }, calledAt: this.iso(c.at), recall: c.recall });
    }
    return {
      seq: this.seq,
      businessDay: this.businessDay,
      center: { ...this.center },
      services: this.services.filter((s) => s.active).map((s) => this.serviceView(s)),
      counters: [...this.counters].sort((a, b) => a.number - b.number).map((c) => this.counterView(c)),
      waiting: waitingRows.map((t) => ({ ...this.ticketView(t), ahead: this.ahead(t) })),
      recentCalls,
    };
  }

  // ---- events ----
  private emit(event: QueueEvent) {
    this.events.push(event);
  }
  private next = () => ++this.seq;
  private emitIssued(t: MTicket) {
    this.emit({ type: 'ticket:issued', payload: { seq: this.next(), ticket: this.ticketView(t, true), services: this.servicesById([t.serviceId]) } });
  }
  private emitCalled(t: MTicket, c: MCounter, recall: boolean) {
    const payload = { seq: this.next(), ticket: this.ticketView(t), counter: { id: c.id, number: c.number, name: c.name }, recall, services: this.servicesById([t.serviceId]) };
    // SERVER: the event carries the time of this call (a recall's own), as the snapshot's call does.
    this.emit({ type: 'ticket:called', payload: { ...payload, calledAt: this.iso(this.now) } });
  }
  private emitUpdated(t: MTicket, touched: number[] = [t.serviceId]) {
    this.emit({ type: 'ticket:updated', payload: { seq: this.next(), ticket: this.ticketView(t, t.status === 'waiting'), services: this.servicesById(touched) } });
  }
  private emitCounter(c: MCounter, touched: number[]) {
    // SERVER: a counter's change carries its services' fresh figures (an open counter more or less
    // changes their wait estimates), as the ticket events do.
    this.emit({ type: 'counter:updated', payload: { seq: this.next(), counter: this.counterView(c), services: this.servicesById(touched) } });
  }

  /** One committed action: its events, and whether the server pushes a fresh snapshot after it. */
  act(fn: () => void): { events: QueueEvent[]; pushed: boolean } {
    this.events = [];
    // SERVER: every action has its own millisecond. Two actions in one millisecond order the
    // snapshot's waiting list by rowid but the events by seq.
    this.now += 1000 + Math.floor(this.rand() * 60_000);
    let pushed = false;
    if (this.rolledDay !== this.dayIndex) {
      this.rollOver();
      // SERVER: a new business day is pushed to every screen as a fresh snapshot.
      pushed = true;
    }
    fn();
    return { events: this.events, pushed };
  }
  constructor(private rand: () => number) {}

  private rollOver() {
    for (const t of this.tickets.values()) {
      if (t.day < this.businessDay && (t.status === 'waiting' || t.status === 'called')) {
        t.status = 'cancelled';
        this.emitUpdated(t);
      }
    }
    for (const c of this.counters) c.current = null;
    this.rolledDay = this.dayIndex;
  }

  // ---- actions (apps/server/src/queue/queue.ts) ----
  midnight() {
    this.dayIndex++;
    this.now = START + this.dayIndex * DAY_MS;
  }
  issue(serviceId: number, priority: boolean) {
    const s = this.services.find((x) => x.id === serviceId);
    if (!s?.active) return;
    const key = `${this.businessDay}:${serviceId}`;
    const n = (this.daySeq.get(key) ?? 0) + 1;
    this.daySeq.set(key, n);
    const rowid = ++this.rowid;
    const t: MTicket = { id: `tk${rowid}`.padEnd(16, 'x'), number: `${s.prefix}${String(n).padStart(3, '0')}`, serviceId, priority, status: 'waiting', day: this.businessDay, issuedAt: this.now, queuedAt: this.now, rowid, calledAt: null, completedAt: null, counterId: null };
    this.tickets.set(t.id, t);
    this.emitIssued(t);
  }
  private completeCurrent(c: MCounter) {
    if (!c.current) return;
    const t = this.tickets.get(c.current)!;
    if (t.status === 'called') {
      t.status = 'done';
      t.completedAt = this.now;
      this.emitUpdated(t);
    }
    c.current = null;
  }
  private callInto(c: MCounter, t: MTicket) {
    t.status = 'called';
    t.counterId = c.id;
    t.calledAt = this.now;
    c.current = t.id;
    this.calls.push({ id: ++this.callId, ticketId: t.id, at: this.now, recall: false, serviceId: t.serviceId, counter: { id: c.id, number: c.number, name: c.name } });
    this.emitCalled(t, c, false);
  }
  callNext(counterId: number) {
    const c = this.counters.find((x) => x.id === counterId)!;
    if (c.state !== 'open') return;
    this.completeCurrent(c);
    const head = [...this.tickets.values()]
      .filter((t) => t.status === 'waiting' && c.serviceIds.includes(t.serviceId))
      .sort((a, b) => Number(b.priority) - Number(a.priority) || a.queuedAt - b.queuedAt || a.rowid - b.rowid)[0];
    if (head) this.callInto(c, head);
  }
  callTicket(counterId: number, ticketId: string) {
    const c = this.counters.find((x) => x.id === counterId)!;
    const t = this.tickets.get(ticketId)!;
    if (c.state !== 'open' || (t.status !== 'waiting' && t.status !== 'no_show') || !c.serviceIds.includes(t.serviceId)) return;
    // SERVER: yesterday's no-show cannot be called back into today (the snapshot shows only calls
    // of today's tickets, so the TV would show a call that a resync takes away).
    if (t.day !== this.businessDay) return;
    this.completeCurrent(c);
    this.callInto(c, t);
  }
  private current(counterId: number): [MCounter, MTicket] | null {
    const c = this.counters.find((x) => x.id === counterId)!;
    const t = c.current ? this.tickets.get(c.current) : undefined;
    return t && t.status === 'called' ? [c, t] : null;
  }
  recall(counterId: number) {
    const cur = this.current(counterId);
    if (!cur) return;
    const [c, t] = cur;
    this.calls.push({ id: ++this.callId, ticketId: t.id, at: this.now, recall: true, serviceId: t.serviceId, counter: { id: c.id, number: c.number, name: c.name } });
    this.emitCalled(t, c, true);
  }
  finish(counterId: number, status: 'done' | 'no_show') {
    const cur = this.current(counterId);
    if (!cur) return;
    const [c, t] = cur;
    t.status = status;
    if (status === 'done') t.completedAt = this.now;
    c.current = null;
    this.emitUpdated(t);
  }
  transfer(counterId: number, serviceId: number) {
    const cur = this.current(counterId);
    const target = this.services.find((s) => s.id === serviceId);
    if (!cur || !target?.active) return;
    const [c, t] = cur;
    const from = t.serviceId;
    Object.assign(t, { status: 'waiting', serviceId, queuedAt: this.now, counterId: null, calledAt: null });
    c.current = null;
    this.emitUpdated(t, [from, serviceId]);
  }
  setCounterState(counterId: number, state: Counter['state']) {
    const c = this.counters.find((x) => x.id === counterId)!;
    if (!c.active && state !== 'closed') return;
    if (state === 'closed') {
      this.completeCurrent(c);
      c.state = 'closed';
      c.officer = null;
    } else {
      c.state = state;
      c.officer ??= { id: 100 + c.id, username: `canbo${c.id}` };
    }
    this.emitCounter(c, c.serviceIds);
  }
  cancel(ticketId: string) {
    const t = this.tickets.get(ticketId)!;
    if (t.status !== 'waiting' && t.status !== 'called') return;
    t.status = 'cancelled';
    for (const c of this.counters) if (c.current === t.id) c.current = null;
    this.emitUpdated(t);
  }
  saveCounter(id: number | null, patch: { name?: string; number?: number; active?: boolean; serviceIds?: number[] }) {
    if (patch.number !== undefined && this.counters.some((c) => c.number === patch.number && c.id !== id)) return;
    let c = id === null ? undefined : this.counters.find((x) => x.id === id);
    const before = c ? [...c.serviceIds] : [];
    if (!c) {
      c = { id: Math.max(...this.counters.map((x) => x.id)) + 1, number: patch.number ?? 0, name: patch.name ?? 'Quầy mới', serviceIds: patch.serviceIds ?? [1], state: 'closed', active: true, officer: null, current: null };
      if (this.counters.some((x) => x.number === c!.number)) return;
      this.counters.push(c);
    } else {
      Object.assign(c, { ...(patch.name !== undefined ? { name: patch.name } : {}), ...(patch.number !== undefined ? { number: patch.number } : {}), ...(patch.active !== undefined ? { active: patch.active } : {}), ...(patch.serviceIds ? { serviceIds: patch.serviceIds } : {}) });
      if (!c.active && c.state !== 'closed') {
        this.completeCurrent(c);
        c.state = 'closed';
        c.officer = null;
      }
    }
    this.emitCounter(c, [...before, ...c.serviceIds]);
  }
  saveService(id: number | null, patch: { name?: string; active?: boolean }) {
    let s = id === null ? undefined : this.services.find((x) => x.id === id);
    if (!s) {
      s = { id: Math.max(...this.services.map((x) => x.id)) + 1, name: patch.name ?? 'Mới', prefix: String(this.services.length + 1), active: true, defaultMinutes: 5 };
      this.services.push(s);
    } else Object.assign(s, patch);
    this.emit({ type: 'service:updated', payload: { seq: this.next(), service: this.serviceView(s) } });
  }
  updateCenter(patch: Partial<{ name: string; tickerText: string }>) {
    this.center = { ...this.center, ...patch };
    this.emit({ type: 'center:updated', payload: { seq: this.next(), center: { ...this.center } } });
  }

  /** A random action, weighted roughly as a day at a center goes. */
  randomAction(): { events: QueueEvent[]; pushed: boolean; kind: string } {
    const r = this.rand;
    const pick = <T,>(xs: T[]): T | undefined => xs[Math.floor(r() * xs.length)];
    const counter = () => pick(this.counters)!.id;
    /** A counter serving someone, when there is one (recalls and transfers need a citizen at the desk). */
    const serving = () => (pick(this.counters.filter((c) => c.current)) ?? pick(this.counters)!).id;
    const x = r();
    let kind: string;
    let fn: () => void;
    if (x < 0.3) [kind, fn] = ['issue', () => this.issue(pick(this.services)!.id, r() < 0.2)];
    else if (x < 0.5) [kind, fn] = ['call-next', () => this.callNext(counter())];
    else if (x < 0.57) [kind, fn] = ['recall', () => this.recall(serving())];
    else if (x < 0.64) [kind, fn] = ['complete', () => this.finish(counter(), 'done')];
    else if (x < 0.68) [kind, fn] = ['no-show', () => this.finish(counter(), 'no_show')];
    else if (x < 0.72) [kind, fn] = ['transfer', () => this.transfer(serving(), pick(this.services)!.id)];
    else if (x < 0.75) {
      kind = 'call';
      fn = () => {
        const t = pick([...this.tickets.values()].filter((t) => t.status === 'waiting' || t.status === 'no_show'));
        if (t) this.callTicket(counter(), t.id);
      };
    } else if (x < 0.84) [kind, fn] = ['counter-state', () => this.setCounterState(counter(), pick(['open', 'open', 'paused', 'closed'] as const)!)];
    else if (x < 0.86) {
      kind = 'cancel';
      fn = () => {
        const t = pick([...this.tickets.values()].filter((t) => t.status === 'waiting' || t.status === 'called'));
        if (t) this.cancel(t.id);
      };
    } else if (x < 0.9) {
      kind = 'save-counter';
      fn = () => {
        const y = r();
        if (y < 0.1 && this.counters.length < 7) this.saveCounter(null, { number: Math.floor(r() * 9) + 1, name: 'Quầy mới', serviceIds: [pick([1, 2, 3])!] });
        else if (y < 0.4) this.saveCounter(counter(), { name: `Quầy ${Math.floor(r() * 100)}` });
        else if (y < 0.6) this.saveCounter(counter(), { number: Math.floor(r() * 9) + 1 });
        else if (y < 0.8) this.saveCounter(counter(), { serviceIds: this.services.filter(() => r() < 0.6).map((s) => s.id).slice(0, 3) });
        else this.saveCounter(counter(), { active: r() < 0.5 });
      };
    } else if (x < 0.94) {
      kind = 'save-service';
      fn = () => {
        const y = r();
        if (y < 0.1 && this.services.length < 5) this.saveService(null, { name: 'Xây dựng' });
        else if (y < 0.6) this.saveService(pick(this.services)!.id, { name: `Lĩnh vực ${Math.floor(r() * 100)}` });
        else this.saveService(pick(this.services)!.id, { active: r() < 0.6 });
      };
    } else if (x < 0.96) [kind, fn] = ['center', () => this.updateCenter({ tickerText: `Tin ${Math.floor(r() * 100)}` })];
    else {
      kind = 'midnight';
      this.midnight();
      // The rollover runs in the next transaction: the minute timer's empty one, or a tap just after midnight.
      fn = r() < 0.5 ? () => undefined : () => this.issue(pick(this.services)!.id, false);
    }
    return { ...this.act(fn), kind };
  }
}

interface RunStats {
  compared: number;
  behindCompared: number;
  gaps: number;
  reconnects: number;
  stale: number;
  recalls: number;
  midnights: number;
  transfers: number;
}

/** One simulated day (or several) for one screen; throws on the first step where it disagrees. */
function simulate(seed: number, steps: number, stats: RunStats) {
  const rand = prng(seed);
  const server = new ServerModel(rand);
  const seen: QueueEvent[] = [];
  /** The snapshot the server would have answered when it was at this seq (after a whole action). */
  const bySeq = new Map<number, Snapshot>([[server.seq, server.snapshot()]]);
  let screen = server.snapshot();
  let offlineFor = 0;
  for (let step = 0; step < steps; step++) {
    const { events, pushed, kind } = server.randomAction();
    if (kind === 'recall' && events.length) stats.recalls++;
    if (kind === 'midnight') stats.midnights++;
    if (kind === 'transfer' && events.length) stats.transfers++;
    seen.push(...events);
    const fresh = server.snapshot();
    bySeq.set(server.seq, fresh);
    const where = `seed ${seed}, step ${step} (${kind})`;

    if (offlineFor > 0) {
      // Offline: nothing arrives. Back online, the first thing is the snapshot sent on connect.
      if (--offlineFor === 0) {
        screen = server.snapshot();
        stats.reconnects++;
      }
    } else {
      let synced = false;
      for (const event of events) {
        if (rand() < 0.06) continue; // lost in transit
        const r = applyQueueEvent(screen, event);
        if (r.ok) screen = r.state;
        else if (r.reason === 'gap') {
          // queue:sync: the server answers after the whole action has committed, so the rest of
          // the action's events are already in that snapshot (stale).
          stats.gaps++;
          synced = true;
          screen = server.snapshot();
        } else if (!synced) throw new Error(`${where}: a new event was refused as stale`);
      }
      if (pushed) screen = server.snapshot();
      // An old event again (a duplicate, a late delivery): changes nothing.
      const old = seen.filter((e) => e.payload.seq <= screen.seq);
      if (old.length && rand() < 0.2) {
        const again = old[Math.floor(rand() * old.length)]!;
        expect(applyQueueEvent(screen, again), where).toEqual({ ok: false, reason: 'stale' });
        stats.stale++;
      }
      if (rand() < 0.04) offlineFor = 1 + Math.floor(rand() * 5);
    }

    if (offlineFor > 0) continue;
    if (screen.seq === server.seq) {
      expect(screen, where).toEqual(fresh);
      stats.compared++;
    } else {
      // The last event of the action was lost: the screen is behind until the next event shows
      // the gap. It must still be exactly what the server was at its seq.
      const then = bySeq.get(screen.seq);
      if (then) {
        expect(screen, where).toEqual(then);
        stats.behindCompared++;
      }
    }
  }
}

describe('applyQueueEvent against a model of the server (randomized)', () => {
  it('after any sequence of events, gaps, resyncs, recalls, reconnects and midnights, a screen equals a fresh snapshot', () => {
    const stats: RunStats = { compared: 0, behindCompared: 0, gaps: 0, reconnects: 0, stale: 0, recalls: 0, midnights: 0, transfers: 0 };
    const runs = 200;
    const steps = 150;
    for (let seed = 1; seed <= runs; seed++) simulate(seed, steps, stats);
    // The runs did what they claim: every kind of trouble happened many times.
    expect(stats.compared).toBeGreaterThan(runs * steps * 0.6);
    for (const k of ['behindCompared', 'gaps', 'reconnects', 'stale', 'recalls', 'midnights', 'transfers'] as const) expect(stats[k], k).toBeGreaterThan(100);
  });

  it('a recall is shown with its own time, as the snapshot shows it, so a resync announces nothing again', () => {
    const server = new ServerModel(prng(7));
    server.act(() => server.setCounterState(1, 'open'));
    server.act(() => server.issue(1, false));
    let screen = server.snapshot();
    const step = (fn: () => void) => {
      for (const e of server.act(fn).events) {
        const r = applyQueueEvent(screen, e);
        if (!r.ok) throw new Error(r.reason);
        screen = r.state;
      }
    };
    step(() => server.callNext(1));
    step(() => server.recall(1));
    expect(screen.recentCalls.map((c) => c.recall)).toEqual([true, false]);
    expect(screen.recentCalls[0]!.calledAt).not.toBe(screen.recentCalls[1]!.calledAt);
    expect(screen).toEqual(server.snapshot());
  });
});
