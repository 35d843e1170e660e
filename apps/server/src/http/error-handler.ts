import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

/**
 * Every failure leaves as `{ error: { code, message, messageVi } }`. Fastify's own input errors
 * (bad JSON, oversized or wrongly typed bodies) become 400 INVALID_INPUT, never a 500; anything
 * unexpected is logged and answered as INTERNAL without its details.
 */
export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) return reply.status(err.status).send({ error: err.toBody() });
    const status = err.statusCode ?? 500;
    if (status < 500) {
      const detail =
        err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'The body is too large.' : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'Send JSON.' : 'The body is not valid JSON.';
      const e = status === 429 ? new AppError('TOO_MANY_REQUESTS') : new AppError('INVALID_INPUT', detail);
      return reply.status(e.status).send({ error: e.toBody() });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: new AppError('INTERNAL').toBody() });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ error: new AppError('NOT_FOUND', `${req.method} ${req.url.split('?')[0]}`).toBody() });
  });
}
