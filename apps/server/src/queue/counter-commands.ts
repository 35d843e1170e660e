import { chooseNextTicket } from '@luot/domain';
import type { Counter, Ticket } from '@luot/protocol';
import type { CounterRow } from '../db/counter.repo.js';
import type { TicketRow } from '../db/ticket.repo.js';
import { AppError } from '../errors.js';
import type { Actor } from './actor.js';
import { guarded, type Tx, type UnitOfWork } from './unit-of-work.js';

/** What an officer does at a counter: call (next or a chosen ticket), recall, finish, transfer, open/pause/close. */
export function createCounterCommands(uow: UnitOfWork) {
  const { repos, views, settings, act, emitCalled, emitUpdated, emitCounter, mustCounter, mustTicket, reload, check } = uow;

  /** An officer acts only on the counter they took; an admin on any. */
  function counterFor(tx: Tx, counterId: number, opts: { mustBeOpen?: boolean } = {}): CounterRow {
    const c = mustCounter(counterId);
    const a = tx.actor;
    if (!a || a.kind !== 'user') throw new AppError('FORBIDDEN');
    if (a.role === 'officer' && c.officerId !== a.userId) {
      throw c.officerId === null ? new AppError('COUNTER_NOT_OPEN') : new AppError('COUNTER_TAKEN');
    }
    if (opts.mustBeOpen && c.state !== 'open') throw new AppError(c.state === 'paused' ? 'COUNTER_PAUSED' : 'COUNTER_NOT_OPEN');
    return c;
  }
  /**
   * The page says which ticket it believes the counter is serving (null: none); if that no longer
   * holds (a second press, another tab, a retried request already applied), the action is refused
   * as stale inside the same transaction, so it is never applied twice or to the wrong ticket.
   * undefined: the caller stated nothing (scripts, old clients) and gets today's behaviour.
   */
  function expectCurrent(counter: CounterRow, expectTicketId: string | null | undefined) {
    if (expectTicketId === undefined) return;
    const current = counter.currentTicketId && repos.tickets.get(counter.currentTicketId)?.status === 'called' ? counter.currentTicketId : null;
    if (current !== expectTicketId) throw new AppError('STALE_REQUEST');
  }

  /**
   * Completes the ticket the counter is serving, if any (pressing "next" while serving, closing),
   * and returns its id if it was done now: the caller records its `ticket:updated`, at once
   * (completeCurrent) or after the call that follows (a call is announced first).
   */
  function finishCurrent(tx: Tx, counter: CounterRow): string | null {
    if (!counter.currentTicketId) return null;
    const current = mustTicket(counter.currentTicketId);
    const done = current.status === 'called' ? current.id : null;
    if (done) guarded(repos.tickets.finish(done, 'done', tx.now));
    repos.counters.setCurrent(counter.id, null);
    return done;
  }
  function completeCurrent(tx: Tx, counter: CounterRow): void {
    const done = finishCurrent(tx, counter);
    if (done) emitUpdated(tx, 'complete', reload(done));
  }
  /**
   * A call that also completes the counter's previous ticket records the call's event first, so
   * `ticket:called` has the lower seq and every screen gets it first (issue 14: the TV announces
   * without waiting behind the previous ticket's update). Both events are built after every
   * change of the action, so each carries the final figures and the reducer ends at the same
   * state in this order as in the other.
   */
  function announceCompleted(tx: Tx, done: string | null): void {
    if (done) emitUpdated(tx, 'complete', reload(done));
  }

  function callInto(tx: Tx, counter: CounterRow, ticketId: string): Ticket {
    const officerId = tx.actor?.kind === 'user' ? tx.actor.userId : null;
    if (!repos.tickets.claim(ticketId, counter.id, officerId, tx.now)) throw new AppError('TICKET_NOT_WAITING');
    repos.counters.setCurrent(counter.id, ticketId);
    const called = reload(ticketId);
    repos.tickets.recordCall({ ticketId, serviceId: called.serviceId, counter, at: tx.now, recall: false });
    // No counter:updated: ticket:called already tells every screen what the counter now serves.
    return emitCalled(tx, called, counter, false);
  }

  function callNext(actor: Actor, counterId: number, expectTicketId?: string | null): { ticket: Ticket | null } {
    return act(actor, (tx) => {
      const counter = counterFor(tx, counterId, { mustBeOpen: true });
      expectCurrent(counter, expectTicketId);
      const done = finishCurrent(tx, counter);
      // The domain's rule (queue-order.ts, next-ticket.ts) on the heads the database hands in.
      const choice = chooseNextTicket({
        serviceOrder: counter.serviceIds,
        heads: repos.tickets.heads(counter.serviceIds),
        priorityStreak: counter.priorityStreak,
        maxPriorityInRow: settings().maxPriorityInRow,
        priorityMode: counter.priorityMode,
      });
      let ticket: Ticket | null = null;
      if (choice) {
        repos.counters.setStreak(counter.id, choice.priorityStreak);
        ticket = callInto(tx, counter, choice.head.ticketId);
      }
      announceCompleted(tx, done);
      return { ticket };
    });
  }

  function callTicket(actor: Actor, counterId: number, ticketId: string, expectTicketId?: string | null): { ticket: Ticket } {
    return act(actor, (tx) => {
      const counter = counterFor(tx, counterId, { mustBeOpen: true });
      expectCurrent(counter, expectTicketId);
      const target = mustTicket(ticketId);
      // Yesterday's no-show stays yesterday's: the day's screens show only today's calls.
      if (target.businessDay !== tx.day) throw new AppError('INVALID_TRANSITION', 'This ticket is from an earlier day.');
      if (target.status === 'no_show') check(target, 'call_back', tx.now);
      else check(target, 'call', tx.now);
      if (!counter.serviceIds.includes(target.serviceId)) throw new AppError('SERVICE_NOT_SERVED');
      const done = counter.currentTicketId !== ticketId ? finishCurrent(tx, counter) : null;
      const ticket = callInto(tx, counter, ticketId);
      announceCompleted(tx, done);
      return { ticket };
    });
  }

  function currentOf(tx: Tx, counter: CounterRow): TicketRow {
    if (!counter.currentTicketId) throw new AppError('NO_CURRENT_TICKET');
    const t = mustTicket(counter.currentTicketId);
    if (t.status !== 'called') throw new AppError('NO_CURRENT_TICKET');
    return t;
  }

  function recall(actor: Actor, counterId: number, expectTicketId?: string | null): { ticket: Ticket } {
    return act(actor, (tx) => {
      const counter = counterFor(tx, counterId);
      expectCurrent(counter, expectTicketId);
      const t = currentOf(tx, counter);
      guarded(repos.tickets.recall(t.id));
      repos.tickets.recordCall({ ticketId: t.id, serviceId: t.serviceId, counter, at: tx.now, recall: true });
      return { ticket: emitCalled(tx, reload(t.id), counter, true) };
    });
  }

  function finish(actor: Actor, counterId: number, status: 'done' | 'no_show', expectTicketId?: string | null): { ticket: Ticket } {
    return act(actor, (tx) => {
      const counter = counterFor(tx, counterId);
      expectCurrent(counter, expectTicketId);
      const t = currentOf(tx, counter);
      check(t, status === 'done' ? 'complete' : 'no_show', tx.now);
      guarded(repos.tickets.finish(t.id, status, tx.now));
      repos.counters.setCurrent(counter.id, null);
      return { ticket: emitUpdated(tx, status === 'done' ? 'complete' : 'no_show', reload(t.id)) };
    });
  }

  function transfer(actor: Actor, counterId: number, serviceId: number, expectTicketId?: string | null): { ticket: Ticket } {
    return act(actor, (tx) => {
      const counter = counterFor(tx, counterId);
      expectCurrent(counter, expectTicketId);
      const t = currentOf(tx, counter);
      const target = repos.services.get(serviceId);
      if (!target || !target.active) throw new AppError('SERVICE_NOT_FOUND');
      check(t, 'transfer', tx.now);
      guarded(repos.tickets.requeue(t.id, serviceId, tx.now));
      repos.counters.setCurrent(counter.id, null);
      emitUpdated(tx, 'transfer', reload(t.id), [t.serviceId, serviceId]);
      // The officer's answer, with the ticket's new place in line.
      return { ticket: views.ticket(reload(t.id), true) };
    });
  }

  function setCounterState(actor: Actor, counterId: number, state: 'open' | 'paused' | 'closed'): Counter {
    return act(actor, (tx) => {
      const c = mustCounter(counterId);
      const a = tx.actor;
      if (!a || a.kind !== 'user') throw new AppError('FORBIDDEN');
      if (a.role === 'officer' && c.officerId !== null && c.officerId !== a.userId) throw new AppError('COUNTER_TAKEN');
      if (a.role === 'officer' && c.officerId === null && state !== 'open') throw new AppError('COUNTER_NOT_OPEN');
      // Closing while serving completes the citizen in front of the officer.
      if (state === 'closed') completeCurrent(tx, c);
      repos.counters.setState(c.id, state, state === 'closed' ? null : (c.officerId ?? a.userId));
      return emitCounter(tx, state === 'open' ? 'open' : state === 'paused' ? 'pause' : 'close', c.id, c.serviceIds);
    });
  }

  return { completeCurrent, callNext, callTicket, recall, finish, transfer, setCounterState };
}
export type CounterCommands = ReturnType<typeof createCounterCommands>;
