import { AppError } from '../errors.js';
import type { Actor } from './actor.js';

/**
 * The parts of the Idempotency-Key rule that are not SQL: who a key belongs to, what a request
 * asked for, and the refusal when one key is reused for a different request.
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
