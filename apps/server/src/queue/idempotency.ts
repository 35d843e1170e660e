import type { TicketStatus } from '@luot/domain';
import { AppError } from '../errors.js';
import type { Actor } from './actor.js';

/**
 * The parts of the Idempotency-Key rule that are not SQL: who a key belongs to, what a request
 * asked for, the refusal when one key is reused for a different request, and what giving up on a
 * tap (its key abandoned) does.
 */

/** Keys are unique per actor: two kiosks may well generate the same key. */
export function keyOwner(actor: Actor): string {
  return actor.kind === 'device' ? `device:${actor.deviceId}` : `user:${actor.userId}`;
}

/** What a ticket request asks for; a retry must ask for exactly this again. */
export function requestFingerprint(input: { serviceId: number; priority?: boolean | undefined }): string {
  return `${input.serviceId}:${input.priority === true ? 1 : 0}`;
}

/**
 * The same key sent with another service or priority: a client bug (a key reused for a new tap),
 * never a retry. Answering with the earlier ticket would hand the citizen the wrong service, and
 * issuing a second one would break "one key, one ticket", so it is refused (422).
 */
export class IdempotencyKeyReused extends AppError {
  constructor(earlier: string) {
    const [serviceId, priority] = earlier.split(':');
    super('IDEMPOTENCY_KEY_REUSED', `This Idempotency-Key was already used today for another ticket request (service ${serviceId}${priority === '1' ? ', priority' : ''}); use a new key for a new ticket.`, [
      { path: 'Idempotency-Key', message: 'already used for a different request' },
    ]);
  }
}

/**
 * A request whose key the kiosk already gave up on (POST /tickets/abandon): the citizen was told
 * no number was issued and has left or tapped again, so issuing now would make a ticket nobody
 * holds, one a counter would call and wait for. Refused (409), and no number is taken.
 */
export class IssueAbandoned extends AppError {
  constructor() {
    super('ISSUE_ABANDONED', 'This Idempotency-Key was abandoned by the kiosk earlier today.', [{ path: 'Idempotency-Key', message: 'abandoned' }]);
  }
}

/**
 * What giving up on a tap does to the ticket the tap got, by its status now. A waiting ticket has
 * no paper and nobody waiting for it: cancel. A cancelled one (a repeated abandon, a failed print,
 * staff) stays as it is, and is reported as cancelled, so asking twice gives the same answer. One
 * already called (or served, or a no-show) has a person at a counter dealing with it: leave it.
 */
export function abandonDecision(status: TicketStatus): 'cancel' | 'cancelled' | 'leave' {
  if (status === 'waiting') return 'cancel';
  if (status === 'cancelled') return 'cancelled';
  return 'leave';
}
