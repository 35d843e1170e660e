import { randomBytes } from 'node:crypto';
import {
  aheadCounts,
  businessDayNow,
  chooseNextTicket,
  formatTicketNumber,
  isOpenAt,
  isPriorityByAge,
  maxSequence,
  transition,
  validateCccdCheckIn,
  type CancelReason,
  type CccdCheckIn,
  type TicketAction,
} from '@luot/domain';
import type { Call, CccdCheckInBody, CenterInfo, Counter, CounterCitizen, CounterConfig, PublicTicket, QueueEvent, ServiceConfig, Snapshot, Ticket } from '@luot/protocol';
import { RECENT_CALLS_LIMIT } from '@luot/protocol';
import type { CounterRow } from '../db/counter.repo.js';
import type { Db } from '../db/open.js';
import type { Repos } from '../db/repos.js';
import type { CenterSettings } from '../db/settings.repo.js';
import type { ServiceRow } from '../db/service.repo.js';
import type { TicketRow, WaitingTicket } from '../db/ticket.repo.js';
import { AppError } from '../errors.js';
import type { Clock } from '../clock.js';
import { checkInHasherFor, type CheckInHasher } from '../checkin/hasher.js';
import { daysBefore } from '../ops/retention.js';
import { actorIds, type Actor } from './actor.js';
import { IdempotencyKeyReused, keyOwner, requestFingerprint } from './idempotency.js';
import { createGroupCommit } from './group-commit.js';
import { createViews } from './views.js';

export interface QueueDeps {
  db: Db;
  repos: Repos;
  clock: Clock;
  /** Called after each committed action with its events, in seq order. */
  publish: (events: QueueEvent[]) => void;
  /**
   * Called after a committed action that started a new business day (the minute timer or any
   * request after local midnight), with the new day's snapshot: screens must drop yesterday's
   * recent calls, which no event removes.
   */
  newDay?: (buildSnapshot: () => Snapshot) => void;
  /** The keyed hash of ID-card check-ins (default: the key file beside the database, checkin/key.ts). */
  checkInHasher?: CheckInHasher;
}

interface IssueInput {
  serviceId: number;
  priority?: boolean | undefined;
  /** An ID-card check-in (issue 16): checked again here, never trusted from the kiosk. */
  checkIn?: CccdCheckInBody | undefined;
}

/** Visits past their period deleted at a day rollover, at most (the nightly job deletes the rest in batches). */
const ROLLOVER_VISIT_PURGE = 5000;

interface Tx {
  now: number;
  /** The business day this transaction works in (never earlier than the last one reached). */
  day: string;
  actor: Actor | null;
  events: QueueEvent[];
  /** This transaction rolled the business day over. */
  newDay: boolean;
}

/**
 * The queue's use cases. Each action is one SQLite transaction that checks the state, changes
 * it, appends its events to the log with the next seq, and only after commit hands the events to
 * `publish`. better-sqlite3 is synchronous, so no transaction ever spans an await, and two
 * counters pressing "next" at once are simply two transactions one after the other; the claim is
 * still a guarded UPDATE (... AND status = 'waiting') so a second process could not double-call.
 */
/**
 * A guarded UPDATE (its WHERE repeats the state it expects) that changed no row means the ticket
 * moved on between the check and the write: refuse the whole action, so its transaction rolls
 * back and no event announces a change that did not happen.
 */
function guarded(changed: boolean): void {
  if (!changed) throw new AppError('INVALID_TRANSITION', 'The ticket changed at the same moment; nothing was done.');
}

export function createQueue({ db, repos, clock, publish, newDay, checkInHasher }: QueueDeps) {
  const views = createViews(repos);
  const settings = () => repos.settings.center();
  const hasher = checkInHasher ?? checkInHasherFor(db);

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
        rollOverDay(tx);
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
  /** An officer acts only on the counter they took; an admin on any. */
  function counterFor(tx: Tx, counterId: number, opts: { mustBeOpen?: boolean } = {}): CounterRow {
    const c = mustCounter(counterId);
    const a = tx.actor;
    if (!a || a.kind !== 'user') throw new AppError('FORBIDDEN');
    if (a.role === 'officer' && c.officerId !== a.userId) {
      throw c.officerId === null ? new AppError('COUNTER_NOT_OPEN', 'Open the counter first.') : new AppError('COUNTER_TAKEN');
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
  function check(from: TicketRow, action: TicketAction, now: number) {
    const r = transition(from.status, action, {
      now,
      noShowAt: from.noShowAt,
      callBackWindowMs: settings().noShowCallBackMinutes * 60_000,
    });
    if (!r.ok) throw new AppError('INVALID_TRANSITION', `A ${from.status} ticket cannot ${action.replace('_', ' ')}.`);
  }

  // ---- day rollover ----
  /** The last business day reached: stored, so it holds across restarts. */
  const lastDay = () => repos.settings.get<string>('businessDay');
  /**
   * The business day now: the clock's, but never earlier than the last one reached (a clock set
   * back across midnight keeps the later day; see businessDayNow in the domain).
   */
  function businessDay(now = clock.now()): string {
    return businessDayNow(now, settings().timeZone, lastDay()).day;
  }

  /**
   * A new business day (local midnight in the center's zone) starts new sequences without
   * deleting anything: the day before's waiting and called tickets are closed as cancelled
   * (reason day_ended), and counters drop their current ticket. The day only moves forward:
   * with the clock set back across midnight nothing happens until it passes midnight again.
   */
  function rollOverDay(tx: Tx) {
    const before = lastDay();
    const today = businessDayNow(tx.now, settings().timeZone, before).day;
    tx.day = today;
    if (before === today) return;
    for (const t of repos.tickets.openFromEarlierDays(today)) {
      repos.tickets.cancel(t.id, 'day_ended', tx.now);
      emitUpdated(tx, 'day_ended', reload(t.id));
    }
    // Their tickets' ticket:updated (cancelled) events free the counters on every screen.
    for (const counterId of repos.counters.idsWithCurrent()) repos.counters.setCurrent(counterId, null);
    // Idempotency-Keys live for their business day: a retry never crosses midnight.
    repos.issueKeys.deleteBefore(today);
    // Checked-in names go when their day ends (checkInNameDays after it), before the night's
    // backup copies the file; old visit hashes too, the nightly job finishing a large backlog.
    const s = settings();
    repos.citizens.deleteNamesBefore(daysBefore(today, s.checkInNameDays), -1);
    repos.citizens.deleteVisitsBefore(daysBefore(today, s.returningVisitorDays), ROLLOVER_VISIT_PURGE);
    repos.settings.set('businessDay', today);
    // A new database's first day is no change any screen has to follow.
    tx.newDay = before !== undefined;
  }

  // ---- actions ----
  /**
   * The ticket an earlier request with this Idempotency-Key already got today, as it is now
   * (status, position), or null if the key is new. The same key with a different request is
   * refused. Read outside any transaction: the HTTP route asks first, so a retry is not counted
   * by the kiosk's rate limit; issueTicket checks again inside its own transaction.
   */
  function issuedFor(actor: Actor, input: IssueInput, key: string, now = clock.now()): Ticket | null {
    if (input.checkIn !== undefined) refuseCheckInIfOff();
    const seen = repos.issueKeys.find(businessDay(now), keyOwner(actor), key);
    if (!seen) return null;
    if (seen.request !== fingerprint(input)) throw new IdempotencyKeyReused(seen.request);
    const t = repos.tickets.get(seen.ticketId);
    return t ? views.ticket(t, true) : null;
  }

  /**
   * What a request with an Idempotency-Key asked for. With a check-in, a keyed tag of the card is
   * part of it (the same card again is a retry, another card is another request), so the stored
   * fingerprint holds neither the name nor the number.
   */
  function fingerprint(input: IssueInput): string {
    const base = requestFingerprint(input);
    return input.checkIn === undefined ? base : `${base}:${hasher.requestTag(input.checkIn)}`;
  }

  /** The center switched ID-card check-in off: a kiosk still sending it is misconfigured or stale, and is told so. */
  function refuseCheckInIfOff() {
    if (!settings().checkInEnabled) {
      throw new AppError('INVALID_INPUT', 'ID-card check-in is switched off at this center.', [{ path: 'checkIn', message: 'check_in_off' }]);
    }
  }

  /**
   * The kiosk's four fields checked again with the domain's rules and the server's own day (a
   * stolen kiosk token can send anything). A refusal names the rule only (bad_date, id_mismatch...),
   * never the values, so neither the answer nor a log of it carries them.
   */
  function acceptCheckIn(raw: CccdCheckInBody, day: string): CccdCheckIn & { yearOfBirth: number } {
    refuseCheckInIfOff();
    const r = validateCccdCheckIn(raw, day);
    if (!r.ok) throw new AppError('INVALID_INPUT', `The ID-card check-in was refused (${r.reason}).`, [{ path: 'checkIn', message: r.reason }]);
    return r.checkIn;
  }

  /**
   * Issues a ticket. With an Idempotency-Key the key is stored in the same transaction as the
   * ticket (unique per actor, business day and key), so a retry, even after a restart, returns
   * the ticket it already got and never takes a second number. With an ID-card check-in the
   * server decides priority by age itself (a tap on "Ưu tiên" still counts: age is one reason of
   * several), and keeps the citizen's name with the ticket and a keyed hash for the returning count.
   */
  function issueTicket(actor: Actor, input: IssueInput & { idempotencyKey?: string | undefined }): Ticket {
    return act(actor, (tx) => {
      const key = input.idempotencyKey;
      if (key !== undefined) {
        const earlier = issuedFor(actor, input, key, tx.now);
        if (earlier) return earlier;
      }
      const checkIn = input.checkIn === undefined ? null : acceptCheckIn(input.checkIn, tx.day);
      const service = repos.services.get(input.serviceId);
      if (!service || !service.active) throw new AppError('SERVICE_NOT_FOUND');
      const s = settings();
      if (!isOpenAt(service.hours, tx.now, s.timeZone)) throw new AppError('SERVICE_CLOSED');
      // The day the server is in, not the clock's: after the clock was set back across midnight
      // the numbers go on from the later day's, never hand out the earlier day's again.
      const day = tx.day;
      const limit = Math.min(service.dailyLimit ?? Infinity, maxSequence({ prefix: service.prefix, width: service.numberWidth }));
      if (repos.tickets.lastSequence(day, service.id) >= limit) throw new AppError('DAILY_LIMIT_REACHED');
      const seq = repos.tickets.nextSequence(day, service.id);
      const id = randomBytes(16).toString('base64url');
      repos.tickets.insert({
        id,
        businessDay: day,
        serviceId: service.id,
        seq,
        number: formatTicketNumber({ prefix: service.prefix, width: service.numberWidth }, seq),
        priority: input.priority === true || (checkIn !== null && isPriorityByAge(checkIn, day, s.priorityAge)),
        issuedAt: tx.now,
        deviceId: actor.kind === 'device' ? actor.deviceId : null,
      });
      if (checkIn !== null) {
        repos.citizens.record({
          ticketId: id,
          businessDay: day,
          serviceId: service.id,
          fullName: checkIn.fullName,
          yearOfBirth: checkIn.yearOfBirth,
          sex: checkIn.sex,
          idHash: hasher.idHash(checkIn.idNumber),
        });
      }
      if (key !== undefined) repos.issueKeys.insert({ day, actor: keyOwner(actor), key, ticketId: id, request: fingerprint(input), now: tx.now });
      // The kiosk's answer, with the ticket's place in line and the wait to print.
      return emitIssued(tx, reload(id));
    });
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

  /**
   * The kiosk could not print: by default the ticket leaves the queue (no citizen holds it);
   * a center may choose to keep it and show it on the kiosk screen instead.
   */
  function printFailed(actor: Actor, ticketId: string): { ticket: Ticket; kept: boolean } {
    return act(actor, (tx) => {
      const t = mustTicket(ticketId);
      if (actor.kind === 'device' && t.issuedByDevice !== actor.deviceId) throw new AppError('FORBIDDEN');
      if (t.status !== 'waiting') throw new AppError('TICKET_NOT_WAITING');
      if (settings().printFailure === 'show') return { ticket: views.ticket(t, true), kept: true };
      guarded(repos.tickets.cancel(t.id, 'not_printed', tx.now));
      return { ticket: emitUpdated(tx, 'not_printed', reload(t.id)), kept: false };
    });
  }

  /**
   * An officer cancels only what is theirs to handle: the ticket being served at a counter they
   * hold, or a waiting ticket of a service a counter they hold (open or paused) serves. Anything
   * else is NOT_YOUR_COUNTER; an admin may cancel any. Checked after the state (a ticket that
   * cannot be cancelled at all says so, whoever asks).
   */
  function mayCancel(actor: Actor | null, t: TicketRow): boolean {
    if (!actor || actor.kind !== 'user') return false;
    if (actor.role === 'admin') return true;
    const held = repos.counters.list().filter((c) => c.officerId === actor.userId && c.state !== 'closed');
    if (t.status === 'called') return held.some((c) => c.id === t.counterId && c.currentTicketId === t.id);
    if (t.status === 'waiting') return held.some((c) => c.serviceIds.includes(t.serviceId));
    return false;
  }

  function cancelTicket(actor: Actor, ticketId: string, reason: CancelReason): { ticket: Ticket } {
    return act(actor, (tx) => {
      const t = mustTicket(ticketId);
      check(t, 'cancel', tx.now);
      if (!mayCancel(tx.actor, t)) throw new AppError('NOT_YOUR_COUNTER');
      guarded(repos.tickets.cancel(t.id, reason, tx.now));
      if (t.counterId !== null) {
        const c = repos.counters.get(t.counterId);
        if (c?.currentTicketId === t.id) repos.counters.setCurrent(c.id, null);
      }
      return { ticket: emitUpdated(tx, 'cancel', reload(t.id)) };
    });
  }

  /**
   * The minute timer: rolls the day over if midnight passed, and announces each service whose
   * opening hours opened or closed it since `since` (no press changes that, yet every screen's
   * service list must show it, as a fresh snapshot would).
   */
  function minuteTick(since: number): void {
    act(null, (tx) => {
      const tz = settings().timeZone;
      for (const sv of repos.services.list()) {
        if (sv.active && sv.hours && isOpenAt(sv.hours, since, tz) !== isOpenAt(sv.hours, tx.now, tz)) emitService(tx, 'hours', sv.id);
      }
    });
  }

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

  /** Every counter as the admin configures it, priority mode included. */
  function counterConfigs(): CounterConfig[] {
    return repos.counters.list().map(views.counterConfig);
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

  // ---- administration: each change audited and announced in the same transaction ----
  function requireAdmin(actor: Actor) {
    if (actor.kind !== 'user' || actor.role !== 'admin') throw new AppError('FORBIDDEN');
  }

  function updateCenter(actor: Actor, patch: Partial<CenterSettings>): CenterSettings {
    requireAdmin(actor);
    return act(actor, (tx) => {
      const before = settings();
      const after = repos.settings.setCenter(patch);
      audit(tx, 'center.update', null, patch);
      // Every field screens show (CenterInfo), including the TV's announcement settings.
      const shown = (c: CenterSettings) =>
        [c.centerName, c.tickerText, c.ticketFooter, c.timeZone, c.announceMaxLagSeconds, c.announceRepeat, c.checkInEnabled, c.priorityAge, c.checkInNameDays, c.returningVisitorDays].join('\u0000');
      if (shown(before) !== shown(after)) emitCenter(tx);
      // The time zone or wait settings change every service's figures.
      if (before.timeZone !== after.timeZone || before.waitSampleSize !== after.waitSampleSize) {
        for (const sv of repos.services.list()) emitService(tx, 'center', sv.id);
      }
      return after;
    });
  }

  function saveService(actor: Actor, id: number | null, patch: Partial<Omit<ServiceConfig, 'id'>>): ServiceConfig {
    requireAdmin(actor);
    return act(actor, (tx) => {
      if (patch.code !== undefined) {
        const other = repos.services.idByCode(patch.code);
        if (other !== undefined && other !== id) throw new AppError('INVALID_INPUT', `Service code ${patch.code} is taken.`);
      }
      let serviceId: number;
      if (id === null) {
        const full = patch as Omit<ServiceConfig, 'id'>;
        serviceId = repos.services.create({
          code: full.code,
          nameVi: full.name.vi,
          nameEn: full.name.en,
          prefix: full.prefix,
          numberWidth: full.numberWidth,
          hours: full.hours,
          dailyLimit: full.dailyLimit,
          defaultServiceMinutes: full.defaultServiceMinutes,
          targetWaitMinutes: full.targetWaitMinutes,
          sortOrder: full.sortOrder,
          active: full.active,
        });
      } else {
        const cur = repos.services.get(id);
        if (!cur) throw new AppError('SERVICE_NOT_FOUND');
        repos.services.update({
          ...cur,
          ...(patch.code !== undefined ? { code: patch.code } : {}),
          ...(patch.name ? { nameVi: patch.name.vi, nameEn: patch.name.en } : {}),
          ...(patch.prefix !== undefined ? { prefix: patch.prefix } : {}),
          ...(patch.numberWidth !== undefined ? { numberWidth: patch.numberWidth } : {}),
          ...(patch.hours !== undefined ? { hours: patch.hours } : {}),
          ...(patch.dailyLimit !== undefined ? { dailyLimit: patch.dailyLimit } : {}),
          ...(patch.defaultServiceMinutes !== undefined ? { defaultServiceMinutes: patch.defaultServiceMinutes } : {}),
          ...(patch.targetWaitMinutes !== undefined ? { targetWaitMinutes: patch.targetWaitMinutes } : {}),
          ...(patch.sortOrder !== undefined ? { sortOrder: patch.sortOrder } : {}),
          ...(patch.active !== undefined ? { active: patch.active } : {}),
        });
        serviceId = id;
      }
      audit(tx, id === null ? 'service.create' : 'service.update', `service:${serviceId}`, patch);
      emitService(tx, id === null ? 'service.create' : 'service.update', serviceId);
      return views.serviceConfig(repos.services.get(serviceId)!);
    });
  }

  function saveCounter(actor: Actor, id: number | null, patch: Partial<Omit<CounterConfig, 'id'>>): CounterConfig {
    requireAdmin(actor);
    return act(actor, (tx) => {
      const cur = id === null ? null : repos.counters.get(id);
      if (id !== null && !cur) throw new AppError('COUNTER_NOT_FOUND');
      const next = {
        number: patch.number ?? cur?.number ?? 0,
        name: patch.name ?? cur?.name ?? '',
        active: patch.active ?? cur?.active ?? true,
        serviceIds: patch.serviceIds ?? cur?.serviceIds ?? [],
        priorityMode: patch.priorityMode ?? cur?.priorityMode ?? 'normal',
      };
      for (const sid of next.serviceIds) if (!repos.services.get(sid)) throw new AppError('SERVICE_NOT_FOUND');
      const clash = repos.counters.idByNumber(next.number);
      if (clash !== undefined && clash !== id) throw new AppError('INVALID_INPUT', `Counter number ${next.number} is taken.`);
      let counterId: number;
      if (id === null) counterId = repos.counters.create(next.number, next.name, next.serviceIds, next.priorityMode);
      else {
        repos.counters.update(id, next);
        counterId = id;
      }
      if (!next.active && cur && cur.state !== 'closed') {
        completeCurrent(tx, cur);
        repos.counters.setState(counterId, 'closed', null);
      }
      audit(tx, id === null ? 'counter.create' : 'counter.update', `counter:${counterId}`, patch);
      // Services it stopped serving lose its share of the work as much as new ones gain it.
      emitCounter(tx, id === null ? 'counter.create' : 'counter.update', counterId, [...(cur?.serviceIds ?? []), ...next.serviceIds]);
      return views.counterConfig(repos.counters.get(counterId)!);
    });
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

  return {
    updateCenter,
    saveService,
    saveCounter,
    ticketView,
    /** Closes the day if local midnight has passed; a minute timer calls it so TVs clear overnight. */
    rollOverIfNeeded: () => act(null, () => undefined),
    minuteTick,
    issueTicket,
    /**
     * issueTicket for the kiosk's request (POST /tickets): the issues that arrive in one turn of
     * the event loop share one transaction and one fsync (group commit, ADR 0011); the promise
     * resolves once the commit that holds this ticket is on disk, and rejects if its issue was
     * refused or that commit failed.
     */
    issueTicketGrouped: (actor: Actor, input: IssueInput & { idempotencyKey?: string | undefined }): Promise<Ticket> =>
      group.run(() => issueTicket(actor, input)),
    /** How many commits the grouped issues took, and how many issues they held. */
    groupCommitStats: () => group.stats(),
    issuedFor,
    callNext,
    callTicket,
    recall,
    complete: (actor: Actor, counterId: number, expectTicketId?: string | null) => finish(actor, counterId, 'done', expectTicketId),
    noShow: (actor: Actor, counterId: number, expectTicketId?: string | null) => finish(actor, counterId, 'no_show', expectTicketId),
    transfer,
    openCounter: (actor: Actor, counterId: number) => setCounterState(actor, counterId, 'open'),
    pauseCounter: (actor: Actor, counterId: number) => setCounterState(actor, counterId, 'paused'),
    closeCounter: (actor: Actor, counterId: number) => setCounterState(actor, counterId, 'closed'),
    printFailed,
    cancelTicket,
    snapshot,
    services,
    counters,
    counterConfigs,
    /** The business day the server is in (never earlier than the last one reached). */
    businessDay: () => businessDay(),
    publicTicket,
    publicTickets,
    citizenAt,
    views,
  };
}
export type Queue = ReturnType<typeof createQueue>;
