import { IdempotencyKey, ROUTES } from '@luot/protocol';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';
import { createRateLimiter } from '../printing/rate-limit.js';
import { parseInput } from '../validate.js';
import type { AppContext } from '../context.js';
import { route } from './route.js';

/** Alert reports per device: a kiosk reports a printer fault once per failed print, not more. */
const ALERT_RATE = { burst: 10, perMinute: 30 };

export interface TicketRouteOptions {
  /** Tickets per kiosk: `burst` at once, then `perMinute`; null turns the limit off (tests, bench). */
  kioskRateLimit: { burst: number; perMinute: number } | null;
}

export function ticketRoutes(app: FastifyInstance, ctx: AppContext, opts: TicketRouteOptions) {
  const limiter = opts.kioskRateLimit ? createRateLimiter({ ...opts.kioskRateLimit, now: () => ctx.clock.now() }) : null;
  const alertLimiter = createRateLimiter({ ...ALERT_RATE, now: () => ctx.clock.now() });

  route(app, ROUTES.issueTicket, ({ actor, body, req }) => {
    const header = req.headers['idempotency-key'];
    const key = header === undefined ? undefined : parseInput(IdempotencyKey, header);
    // A kiosk that retries after a lost answer sends the same Idempotency-Key and gets the same
    // ticket as it is now, not a second number. Keys are stored with their ticket in SQLite
    // (issue_keys), so this holds across a restart; a retry is not counted by the rate limit.
    if (key !== undefined) {
      const earlier = ctx.queue.issuedFor(actor, body, key);
      if (earlier) return earlier;
    }
    if (limiter && actor.kind === 'device' && !limiter.take(`device:${actor.deviceId}`)) throw new AppError('TOO_MANY_REQUESTS');
    // Answered once the group commit that holds the ticket is on disk (ADR 0011).
    return ctx.queue.issueTicketGrouped(actor, { ...body, idempotencyKey: key });
  });

  /**
   * The kiosk gave up on a tap and told the citizen no number was issued: the tap's ticket, if
   * the server issued one after all, leaves the queue; if none, a late request with that key is
   * refused (docs/adr/0002-print-confirmation.md, "A tap the kiosk gave up on").
   */
  route(app, ROUTES.abandonIssue, ({ actor, body, req }) => {
    const r = ctx.queue.abandonIssue(actor, body.idempotencyKey);
    req.log.info({ outcome: r.outcome, ...(r.outcome === 'not_issued' ? {} : { ticketId: r.ticket.id }) }, 'kiosk gave up on a tap');
    return r;
  });

  route(app, ROUTES.cancelTicket, ({ actor, params: { id }, body }) => ctx.queue.cancelTicket(actor, id, body.reason ?? 'by_staff'));

  /**
   * A device reports trouble (printer out of paper) or that it is over; staff see it live. Each
   * report is pushed to every staff screen: per device at most 10 at once and 30 a minute (429
   * with Retry-After), and at most a few distinct alerts active (alerts.ts).
   */
  route(app, ROUTES.reportAlert, ({ actor, body, reply }) => {
    // Kiosks and TVs only (the route's roles): always a device.
    if (actor.kind !== 'device') throw new AppError('FORBIDDEN');
    if (!alertLimiter.take(`device:${actor.deviceId}`)) {
      reply.header('retry-after', String(Math.ceil(60 / ALERT_RATE.perMinute)));
      throw new AppError('TOO_MANY_REQUESTS', 'Too many alert reports from this device.');
    }
    return ctx.alerts.reportByDevice({ deviceId: actor.deviceId, deviceName: actor.name, ...body });
  });

  route(app, ROUTES.alerts, () => ctx.alerts.active());
}
