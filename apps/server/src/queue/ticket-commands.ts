import { randomBytes } from 'node:crypto';
import { formatTicketNumber, isOpenAt, isPriorityByAge, maxSequence, validateCccdCheckIn, type CancelReason, type CccdCheckIn } from '@luot/domain';
import type { AbandonIssueResult, CccdCheckInBody, Ticket } from '@luot/protocol';
import type { TicketRow } from '../db/ticket.repo.js';
import { AppError } from '../errors.js';
import type { CheckInHasher } from '../checkin/hasher.js';
import type { Actor } from './actor.js';
import { abandonDecision, IdempotencyKeyReused, IssueAbandoned, keyOwner, requestFingerprint } from './idempotency.js';
import type { Day } from './day.js';
import { guarded, type UnitOfWork } from './unit-of-work.js';

export interface IssueInput {
  serviceId: number;
  priority?: boolean | undefined;
  /** An ID-card check-in (issue 16): checked again here, never trusted from the kiosk. */
  checkIn?: CccdCheckInBody | undefined;
}

/** The kiosk's and the officer's commands on a ticket itself: issue (alone or grouped), abandon a tap, print failed, cancel. */
export function createTicketCommands(uow: UnitOfWork, day: Pick<Day, 'businessDay'>, hasher: CheckInHasher) {
  const { repos, clock, views, settings, group, act, emitIssued, emitUpdated, mustTicket, reload, check } = uow;
  const { businessDay } = day;

  /**
   * The ticket an earlier request with this Idempotency-Key already got today, as it is now
   * (status, position), or null if the key is new. The same key with a different request is
   * refused, and so is a key the kiosk gave up on before it got a ticket (ISSUE_ABANDONED: a
   * late request must not make a ticket nobody holds). Read outside any transaction: the HTTP
   * route asks first, so a retry is not counted by the kiosk's rate limit; issueTicket checks
   * again inside its own transaction, which is what decides against a concurrent abandon.
   */
  function issuedFor(actor: Actor, input: IssueInput, key: string, now = clock.now()): Ticket | null {
    if (input.checkIn !== undefined) refuseCheckInIfOff();
    const day = businessDay(now);
    const seen = repos.issueKeys.find(day, keyOwner(actor), key);
    if (!seen) {
      if (repos.issueKeys.isAbandoned(day, keyOwner(actor), key)) throw new IssueAbandoned();
      return null;
    }
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
   * The kiosk gave up on a tap: no answer to its issue request within its retry window, and the
   * citizen was told that no number was issued (docs/adr/0002-print-confirmation.md). The ticket
   * this kiosk's key got today, if any, has no paper and nobody holding it: cancelled while still
   * waiting (reason not_printed, whatever the center's printFailure rule: no number was shown),
   * left alone once called. A key that got no ticket is kept as abandoned, so its request, if
   * it arrives late, is refused rather than issued. One transaction: either the issue or the
   * abandon comes first, and the other sees it. Repeating it answers the same.
   */
  function abandonIssue(actor: Actor, key: string): AbandonIssueResult {
    return act(actor, (tx) => {
      // Kiosks only (the route's roles): the key is the device's own.
      if (actor.kind !== 'device') throw new AppError('FORBIDDEN');
      const owner = keyOwner(actor);
      const seen = repos.issueKeys.find(tx.day, owner, key);
      const t = seen ? repos.tickets.get(seen.ticketId) : undefined;
      if (!seen || !t) {
        // No ticket for this key: remember that it was given up on (a ticket of an earlier day
        // was closed by the rollover; its key is gone with it, and this one is today's).
        if (!seen) repos.issueKeys.abandon({ day: tx.day, actor: owner, key, now: tx.now });
        return { outcome: 'not_issued' };
      }
      switch (abandonDecision(t.status)) {
        case 'cancel':
          guarded(repos.tickets.cancel(t.id, 'not_printed', tx.now));
          // The event log records it as 'abandon' (actor: the kiosk), as print-failed records its own.
          return { outcome: 'cancelled', ticket: emitUpdated(tx, 'abandon', reload(t.id)) };
        case 'cancelled':
          return { outcome: 'cancelled', ticket: views.ticket(t) };
        case 'leave':
          return { outcome: 'called', ticket: views.ticket(t) };
      }
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
      // The server printed it and the printer confirmed (a kiosk that got no answer, the server
      // having stopped mid-print, reports it from its side): the citizen holds the paper.
      if (repos.tickets.printedAt(t.id) !== null) return { ticket: views.ticket(t, true), kept: true };
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

  return {
    issuedFor,
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
    abandonIssue,
    printFailed,
    cancelTicket,
  };
}
export type TicketCommands = ReturnType<typeof createTicketCommands>;

