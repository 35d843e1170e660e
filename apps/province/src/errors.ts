import { catalogueErrorBody, errorMessage, PROVINCE_ERRORS, type ProvinceErrorBody, type ProvinceErrorCode } from '@luot/protocol';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { z } from 'zod';

/**
 * The province's refusals: the catalogue is the wire's (PROVINCE_ERRORS in @luot/protocol,
 * province-wire.ts), in the one error shape of every Luot API (`{ error: { code, message,
 * messageVi } }`, docs/api.md), plus fields a client acts on (SEQ_GAP's ackSeq).
 */
export class ProvinceError extends Error {
  readonly status: number;
  constructor(
    readonly code: ProvinceErrorCode,
    readonly detail?: string,
    /** Extra fields of the error body, e.g. { ackSeq } for SEQ_GAP, { issues } for INVALID_INPUT. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(errorMessage(PROVINCE_ERRORS[code], detail));
    this.status = PROVINCE_ERRORS[code].status;
  }
  toBody(): { error: ProvinceErrorBody } {
    return { error: { ...catalogueErrorBody(PROVINCE_ERRORS, this.code, this.detail), ...this.extra } };
  }
}

/** zod's issues as the API reports them: where, and what is wrong. */
export const issuesOf = (err: z.ZodError) => err.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message }));

/** node-postgres errors that mean "the database is not there right now", not "the request is bad". */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  // Connection refused/reset/timeouts, and PostgreSQL's class 08 (connection), 57P0x (shutdown,
  // admin/crash restart, cannot connect now), 53 (insufficient resources).
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return true;
  if (/^(08|57P0|53)/.test(code)) return true;
  const msg = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(msg);
}

/** One error shape for every route (the dashboard's too). */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof ProvinceError) return reply.code(err.status).send(err.toBody());
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send(new ProvinceError('PAYLOAD_TOO_LARGE').toBody());
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (err.statusCode === 400 && err.validation === undefined)) {
      return reply.code(400).send(new ProvinceError('INVALID_INPUT', err.message).toBody());
    }
    if (isDatabaseUnavailable(err)) {
      req.log.warn({ err }, 'PostgreSQL unavailable');
      return reply.code(503).header('retry-after', '5').send(new ProvinceError('DATABASE_UNAVAILABLE').toBody());
    }
    req.log.error({ err }, 'request failed');
    return reply.code(500).send(new ProvinceError('INTERNAL').toBody());
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send(new ProvinceError('NOT_FOUND', `${req.method} ${req.url}`).toBody()));
}
