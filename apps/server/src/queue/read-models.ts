import { aheadCounts, transition } from '@luot/domain';
import type { Call, Counter, CounterCitizen, CounterConfig, PublicTicket, Snapshot, Ticket } from '@luot/protocol';
import { RECENT_CALLS_LIMIT } from '@luot/protocol';
import type { ServiceRow } from '../db/service.repo.js';
import type { TicketRow, WaitingTicket } from '../db/ticket.repo.js';
import { AppError } from '../errors.js';
import { daysBefore } from '../ops/retention.js';
import type { Db } from '../db/open.js';
import type { Actor } from './actor.js';
import type { Day } from './day.js';
import type { UnitOfWork } from './unit-of-work.js';

/** How many no-shows the desk lists for calling back (protocol route counterNoShows). */
const RECENT_NO_SHOWS_LIMIT = 20;

/** What screens, phones and officers read: on read transactions, the write path only for a new day. */
export function createReadModels(db: Db, uow: UnitOfWork, day: Pick<Day, 'lastDay' | 'businessDay'>) {
  const { repos, clock, views, settings, act, centerInfo, mustCounter, mustTicket } = uow;
  const { lastDay, businessDay } = day;

  // ---- reads ----
  /**
   * The day's live state. Many screens connect at once after a Wi-Fi drop, so one snapshot is
   * built per (seq, minute) and shared; it is read in a plain read transaction, and only a day
   * change takes the write path.
   */
  let cachedSnapshot: { seq: number; minute: number; snapshot: Snapshot } | null = null;
  function snapshot(): Snapshot {
    const now = clock.now();
    // Only a day later than the last one reached takes the write path (a clock set back keeps it).
    if (lastDay() !== businessDay(now)) act(null, () => undefined);
    const minute = Math.floor(now / 60_000);
    const seq = repos.events.lastSeq();
    if (cachedSnapshot && cachedSnapshot.seq === seq && cachedSnapshot.minute === minute) return cachedSnapshot.snapshot;
    const snap = db.transaction(() => buildSnapshot(now))();
    cachedSnapshot = { seq: snap.seq, minute, snapshot: snap };
    return snap;
  }

  function buildSnapshot(now: number): Snapshot {
    // In arrival order (queue_seq), as events append them.
    const waitingRows = repos.tickets.allWaiting();
    const services = repos.services
      .list()
      .filter((s) => s.active)
      .map((s) => views.service(s, now));
    // Positions by the domain's rule, in one pass rather than one COUNT per ticket (the shared
    // reducer recounts them the same way after each event: priority first, then arrival).
    const aheadOf = aheadCounts(waitingRows.map(views.queued));
    return {
      seq: repos.events.lastSeq(),
      businessDay: businessDay(now),
      center: centerInfo(),
      services,
      counters: repos.counters.list().map(views.counter),
      // In the order they joined their queue, as events append them; no per-ticket estimate.
      waiting: waitingRows.map((row) => ({ ...views.ticket(row), ahead: aheadOf.get(row.id) ?? 0 })),
      recentCalls: recentCalls(now),
    };
  }

  function recentCalls(now: number): Call[] {
    const dayStartish = now - 24 * 3600_000;
    const today = businessDay(now);
    const out: Call[] = [];
    for (const c of repos.tickets.recentCalls(dayStartish, RECENT_CALLS_LIMIT)) {
      const t = repos.tickets.get(c.ticket_id);
      const counter = repos.counters.get(c.counter_id);
      if (!t || !counter || t.businessDay !== today) continue;
      // As the call was announced: the service it was for and the counter's name then.
      out.push({
        ticketId: t.id,
        number: t.number,
        serviceId: c.service_id ?? t.serviceId,
        counter: { id: counter.id, number: c.counter_number ?? counter.number, name: c.counter_name ?? counter.name },
        calledAt: views.iso(c.at),
        recall: c.recall === 1,
      });
    }
    return out;
  }

  function services() {
    const now = clock.now();
    const read = (at: number) => repos.services.list().filter((s) => s.active).map((s) => views.service(s, at));
    // A new day takes the write path (its rollover); otherwise a read needs no write lock, so a
    // kiosk's GET /services never waits behind, nor blocks, an issue (BEGIN, not BEGIN IMMEDIATE).
    if (lastDay() !== businessDay(now)) return act(null, (tx) => read(tx.now));
    return db.transaction(() => read(now))();
  }

  function counters(): Counter[] {
    return repos.counters.list().map(views.counter);
  }

  /** The center's settings as the admin edits them. */
  function centerSettings() {
    return repos.settings.center();
  }

  /** Every service as the admin configures it, inactive ones included. */
  function serviceConfigs() {
    return repos.services.list().map(views.serviceConfig);
  }

  /** Every counter as the admin configures it, priority mode included. */
  function counterConfigs(): CounterConfig[] {
    return repos.counters.list().map(views.counterConfig);
  }

  /**
   * The desk's call-back list: today's no-shows of the counter's services that the call-back
   * window still allows (the same rule callTicket applies), newest first. Read after every
   * (re)connect, so a reload or a dropped Wi-Fi does not lose a citizen who comes back.
   */
  function recentNoShows(counterId: number): Ticket[] {
    const counter = mustCounter(counterId);
    const now = clock.now();
    const windowMs = settings().noShowCallBackMinutes * 60_000;
    return db.transaction(() =>
      repos.tickets
        .noShowsSince(businessDay(now), now - windowMs, counter.serviceIds, RECENT_NO_SHOWS_LIMIT)
        .filter((t) => t.noShowAt !== null && transition('no_show', 'call_back', { now, noShowAt: t.noShowAt, callBackWindowMs: windowMs }).ok)
        .map((t) => views.ticket(t)),
    )();
  }

  /** What a phone's status needs of a ticket's service on its day, read once per service. */
  interface ServiceFacts {
    service: ServiceRow | undefined;
    estimate: (ahead: number) => number;
    nowServing: string | undefined;
  }
  function serviceFacts(serviceId: number, day: string): ServiceFacts {
    const service = repos.services.get(serviceId);
    return { service, estimate: views.waitEstimator(serviceId, service), nowServing: repos.tickets.lastCalledNumber(serviceId, day) };
  }
  type PhoneTicket = Pick<TicketRow, 'id' | 'number' | 'serviceId' | 'status' | 'callCount' | 'counterId'>;
  function publicView(t: PhoneTicket, ahead: number, facts: ServiceFacts): PublicTicket {
    const out: PublicTicket = { id: t.id, number: t.number, serviceId: t.serviceId, status: t.status, ahead };
    if (facts.service) out.serviceName = { vi: facts.service.nameVi, en: facts.service.nameEn };
    if (t.callCount > 0) out.calls = t.callCount;
    if (t.status === 'waiting') out.estimatedWaitMinutes = facts.estimate(ahead);
    if (t.counterId !== null && t.status !== 'waiting') {
      const c = repos.counters.get(t.counterId);
      if (c) out.counterNumber = c.number;
    }
    if (facts.nowServing) out.nowServing = facts.nowServing;
    return out;
  }

  /** What a citizen's phone may see of one ticket: numbers only, never a person. */
  function publicTicket(id: string): PublicTicket {
    const t = mustTicket(id);
    return publicView(t, t.status === 'waiting' ? repos.tickets.ahead(t) : 0, serviceFacts(t.serviceId, t.businessDay));
  }

  /**
   * Many phones' tickets at once (after an event, every watched ticket of the services it
   * touched), each given with the service it was last known in: per service, one read of its
   * waiting tickets gives every position by the domain's queue order (aheadCounts, as the
   * snapshot counts them), and its name, estimate and "now serving" are read once. A ticket no
   * longer waiting there (called, done, moved) is read alone. Each status equals
   * publicTicket(id); a ticket that no longer exists is left out.
   */
  function publicTickets(tickets: readonly { id: string; serviceId: number }[]): Map<string, PublicTicket> {
    const out = new Map<string, PublicTicket>();
    const queues = new Map<number, { rows: Map<string, WaitingTicket>; ahead: Map<string, number> }>();
    const facts = new Map<string, ServiceFacts>();
    const factsOf = (serviceId: number, day: string) => {
      const key = `${serviceId}:${day}`;
      let f = facts.get(key);
      if (!f) facts.set(key, (f = serviceFacts(serviceId, day)));
      return f;
    };
    for (const { id, serviceId } of tickets) {
      let q = queues.get(serviceId);
      if (!q) {
        const rows = repos.tickets.waitingIn(serviceId);
        q = { rows: new Map(rows.map((r) => [r.id, r])), ahead: aheadCounts(rows.map((r) => ({ ticketId: r.id, serviceId, priority: r.priority, queueSeq: r.queueSeq }))) };
        queues.set(serviceId, q);
      }
      const w = q.rows.get(id);
      if (w) {
        out.set(id, publicView({ ...w, status: 'waiting', counterId: null }, q.ahead.get(id) ?? 0, factsOf(serviceId, w.businessDay)));
        continue;
      }
      const t = repos.tickets.get(id);
      if (!t) continue;
      out.set(id, publicView(t, t.status === 'waiting' ? repos.tickets.ahead(t) : 0, factsOf(t.serviceId, t.businessDay)));
    }
    return out;
  }

  /**
   * The checked-in citizen of the ticket a counter is calling, for the officer holding that
   * counter or an admin (GET /counters/:id/citizen): name, year of birth, and how many tickets the
   * same ID card took for the same service in the last returningVisitorDays days. Null when nobody
   * checked in, nothing is being served, the name is past its keeping, or the feature is off.
   */
  function citizenAt(actor: Actor, counterId: number): CounterCitizen {
    const c = mustCounter(counterId);
    if (actor.kind !== 'user') throw new AppError('FORBIDDEN');
    if (actor.role !== 'admin' && c.officerId !== actor.userId) throw new AppError('NOT_YOUR_COUNTER');
    const s = settings();
    if (!s.checkInEnabled || !c.currentTicketId) return { citizen: null };
    const t = repos.tickets.get(c.currentTicketId);
    if (!t || t.status !== 'called') return { citizen: null };
    const row = repos.citizens.forTicket(t.id);
    const today = businessDay();
    // Between midnight and the rollover that deletes it, a name past its keeping is not shown.
    if (!row || row.businessDay < daysBefore(today, s.checkInNameDays)) return { citizen: null };
    const visits = repos.citizens.visits(row.idHash, row.serviceId, daysBefore(today, s.returningVisitorDays));
    return {
      citizen: {
        ticketId: t.id,
        number: t.number,
        fullName: row.fullName,
        yearOfBirth: row.yearOfBirth,
        sex: row.sex,
        visits: Math.max(1, visits),
        visitDays: s.returningVisitorDays,
      },
    };
  }

  /** A ticket as the API shows it, with its current position if it waits. */
  function ticketView(id: string): Ticket {
    return views.ticket(mustTicket(id), true);
  }

  return { snapshot, services, counters, recentNoShows, centerSettings, serviceConfigs, counterConfigs, publicTicket, publicTickets, citizenAt, ticketView };
}
