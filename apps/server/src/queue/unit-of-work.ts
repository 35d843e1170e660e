import { transition, type TicketAction } from '@luot/domain';
import type { CenterInfo, Counter, QueueEvent, Snapshot, Ticket } from '@luot/protocol';
import type { CounterRow } from '../db/counter.repo.js';
import type { Db } from '../db/open.js';
import type { Repos } from '../db/repos.js';
import type { TicketRow } from '../db/ticket.repo.js';
import { AppError } from '../errors.js';
import type { Clock } from '../clock.js';
import { actorIds, type Actor } from './actor.js';
import { createGroupCommit } from './group-commit.js';
import type { Views } from './views.js';

/** One action's transaction: its time, day, actor, and the events it records. */
export interface Tx {
  now: number;
  /** The business day this transaction works in (never earlier than the last one reached). */
  day: string;
  actor: Actor | null;
  events: QueueEvent[];
  /** This transaction rolled the business day over. */
  newDay: boolean;
}

/**
 * A guarded UPDATE (its WHERE repeats the state it expects) that changed no row means the ticket
 * moved on between the check and the write: refuse the whole action, so its transaction rolls
 * back and no event announces a change that did not happen.
 */
export function guarded(changed: boolean): void {
  if (!changed) throw new AppError('INVALID_TRANSITION', 'The ticket changed at the same moment; nothing was done.');
}

export interface UnitOfWorkDeps {
  db: Db;
  repos: Repos;
  clock: Clock;
  views: Views;
  publish: (events: QueueEvent[]) => void;
  newDay?: ((buildSnapshot: () => Snapshot) => void) | undefined;
  /** Runs first in every action's transaction: the day rollover (day.ts). */
  beginAction: (tx: Tx) => void;
  /** The day's snapshot, handed to `newDay` after a rollover (read-models.ts). */
  snapshot: () => Snapshot;
}

/**
 * What every use case shares: `act` (one transaction per action, its events published after
 * commit, or after the group's commit inside a group), the event builders that append each event
 * with its seq, the audit log, and the lookups that refuse a missing row.
 */
export function createUnitOfWork({ db, repos, clock, views, publish, newDay, beginAction, snapshot }: UnitOfWorkDeps) {
  const settings = () => repos.settings.center();

  // While a group of actions shares one transaction (group-commit.ts), their events wait here
  // and are published after its commit.
  let held: { events: QueueEvent[]; newDay: boolean } | null = null;
  function announce(events: QueueEvent[], dayChanged: boolean) {
    if (events.length) publish(events);
    if (dayChanged && newDay) newDay(snapshot);
  }
  const group = createGroupCommit(db, {
    hold: () => void (held = { events: [], newDay: false }),
    release: (committed) => {
      const h = held;
      held = null;
      if (committed && h) announce(h.events, h.newDay);
    },
  });

  function act<T>(actor: Actor | null, fn: (tx: Tx) => T): T {
    const tx: Tx = { now: clock.now(), day: '', actor, events: [], newDay: false };
    const result = db
      .transaction(() => {
        beginAction(tx);
        return fn(tx);
      })
      .immediate();
    if (held) {
      // Inside a group (a savepoint): announced once the group has committed.
      held.events.push(...tx.events);
      held.newDay ||= tx.newDay;
    } else announce(tx.events, tx.newDay);
    return result;
  }

  // ---- events ----
  function record(tx: Tx, action: string, ticketId: string | null, counterId: number | null) {
    return { at: tx.now, action, ticketId, counterId, ...actorIds(tx.actor) };
  }
  // Tickets in events carry no position (ahead, wait): every other waiting ticket's position moves
  // too, so screens recount them all (applyQueueEvent); the issuing and transfer answers carry it.
  /**
   * A new ticket's event, and the kiosk's answer (its place in line and the wait to print) from
   * the same reads. A new ticket is the last to arrive (the highest queueSeq, queue-order.ts):
   * every other waiting ticket of its service is ahead of it, or for a priority ticket every other
   * waiting priority one; its wait is the service's estimate for that many, whose inputs the
   * event's figure for the service has just read (issue 14: the issue path read them twice).
   */
  function emitIssued(tx: Tx, row: TicketRow): Ticket {
    const ticket = views.ticket(row);
    const service = repos.services.get(row.serviceId);
    const estimate = views.waitEstimator(row.serviceId, service);
    const figures = service ? [views.service(service, tx.now, estimate)] : [];
    const payload = repos.events.append({ ...record(tx, 'issue', row.id, null), type: 'ticket:issued' }, (seq) => ({ seq, ticket, services: figures }));
    tx.events.push({ type: 'ticket:issued', payload });
    const ahead = row.priority || !figures[0] ? repos.tickets.ahead(row) : figures[0].waiting - 1;
    return { ...ticket, ahead, estimatedWaitMinutes: estimate(ahead) };
  }
  function emitCalled(tx: Tx, row: TicketRow, counter: CounterRow, recall: boolean) {
    const ticket = views.ticket(row);
    const payload = repos.events.append({ ...record(tx, recall ? 'recall' : 'call', row.id, counter.id), type: 'ticket:called' }, (seq) => ({
      seq,
      ticket,
      counter: { id: counter.id, number: counter.number, name: counter.name },
      recall,
      // This call's own time (a recall's, where ticket.calledAt stays the first call's): the
      // snapshot's recentCalls entry shows the same, so a resync never looks like a new call.
      calledAt: views.iso(tx.now),
      services: views.servicesById([row.serviceId], tx.now),
    }));
    tx.events.push({ type: 'ticket:called', payload });
    return ticket;
  }
  function emitUpdated(tx: Tx, action: string, row: TicketRow, touched: number[] = [row.serviceId]) {
    const ticket = views.ticket(row);
    const payload = repos.events.append({ ...record(tx, action, row.id, row.counterId), type: 'ticket:updated' }, (seq) => ({
      seq,
      ticket,
      services: views.servicesById(touched, tx.now),
    }));
    tx.events.push({ type: 'ticket:updated', payload });
    return ticket;
  }
  /**
   * `touched`: the services whose wait estimates the change may move (an open counter more or
   * less), sent with their fresh figures as the ticket events do.
   */
  function emitCounter(tx: Tx, action: string, counterId: number, touched: number[]): Counter {
    const counter = views.counter(mustCounter(counterId));
    const payload = repos.events.append({ ...record(tx, action, null, counterId), type: 'counter:updated' }, (seq) => ({
      seq,
      counter,
      services: views.servicesById(touched, tx.now),
    }));
    tx.events.push({ type: 'counter:updated', payload });
    return counter;
  }

  function emitService(tx: Tx, action: string, serviceId: number) {
    const row = repos.services.get(serviceId);
    if (!row) return;
    const service = views.service(row, tx.now);
    const payload = repos.events.append({ ...record(tx, action, null, null), type: 'service:updated' }, (seq) => ({ seq, service }));
    tx.events.push({ type: 'service:updated', payload });
  }
  /**
   * What every screen shows of the center, with the check-in switch and the figures of the
   * kiosk's privacy notice (settings, never a person).
   */
  function centerInfo(): CenterInfo {
    const s = settings();
    return {
      ...views.center(),
      checkIn: { enabled: s.checkInEnabled, priorityAge: s.priorityAge, nameDays: s.checkInNameDays, visitorDays: s.returningVisitorDays },
    };
  }
  function emitCenter(tx: Tx) {
    const center = centerInfo();
    const payload = repos.events.append({ ...record(tx, 'center', null, null), type: 'center:updated' }, (seq) => ({ seq, center }));
    tx.events.push({ type: 'center:updated', payload });
  }
  function audit(tx: Tx, action: string, target: string | null, detail: unknown) {
    repos.audit.add(tx.now, tx.actor?.kind === 'user' ? tx.actor.userId : null, action, target, detail);
  }

  // ---- lookups ----
  function mustCounter(id: number): CounterRow {
    const c = repos.counters.get(id);
    if (!c) throw new AppError('COUNTER_NOT_FOUND');
    return c;
  }
  function mustTicket(id: string): TicketRow {
    const t = repos.tickets.get(id);
    if (!t) throw new AppError('TICKET_NOT_FOUND');
    return t;
  }
  function reload(id: string): TicketRow {
    return mustTicket(id);
  }
  function check(from: TicketRow, action: TicketAction, now: number) {
    const r = transition(from.status, action, {
      now,
      noShowAt: from.noShowAt,
      callBackWindowMs: settings().noShowCallBackMinutes * 60_000,
    });
    if (!r.ok) throw new AppError('INVALID_TRANSITION', `A ${from.status} ticket cannot ${action.replace('_', ' ')}.`);
  }

  return {
    repos,
    clock,
    views,
    settings,
    group,
    act,
    record,
    emitIssued,
    emitCalled,
    emitUpdated,
    emitCounter,
    emitService,
    centerInfo,
    emitCenter,
    audit,
    mustCounter,
    mustTicket,
    reload,
    check,
  };
}
export type UnitOfWork = ReturnType<typeof createUnitOfWork>;
