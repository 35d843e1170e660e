import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, storageErrorOf, storageFaultOf, type StorageFault } from '../errors.js';

/**
 * Storage failures seen by the edges, for whoever watches the disk (ops/storage-health.ts raises
 * the staff alert and notices when the disk is back). Decorated on the Fastify instance so each
 * server has its own; main.ts subscribes.
 */
export interface StorageFaults {
  /** Tells the listeners, if `err` is a storage failure; returns which one (or null). */
  report(err: unknown): StorageFault | null;
  /** Subscribes; returns the unsubscribe function. */
  on(listener: (fault: StorageFault, err: unknown) => void): () => void;
}

declare module 'fastify' {
  interface FastifyInstance {
    storageFaults: StorageFaults;
  }
}

export function createStorageFaults(): StorageFaults {
  const listeners = new Set<(fault: StorageFault, err: unknown) => void>();
  return {
    report(err) {
      const fault = storageFaultOf(err);
      if (!fault) return null;
      for (const l of listeners) {
        try {
          l(fault, err);
        } catch {
          // A listener's bug must not turn a 503 into a crash.
        }
      }
      return fault;
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Every failure leaves as `{ error: { code, message, messageVi } }`. Fastify's own input errors
 * (bad JSON, oversized or wrongly typed bodies) become 400 INVALID_INPUT, never a 500; a full
 * disk or an unreadable database becomes 503 STORAGE_FULL / STORAGE_ERROR at once (the process
 * stays up and the next request tries again, so service resumes by itself when space returns);
 * anything else unexpected is logged and answered as INTERNAL without its details.
 */
export function installErrorHandler(app: FastifyInstance) {
  if (!app.hasDecorator('storageFaults')) app.decorate('storageFaults', createStorageFaults());
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) return reply.status(err.status).send({ error: err.toBody() });
    const storage = storageErrorOf(err);
    if (storage) {
      app.storageFaults.report(err);
      req.log.error({ err, code: storage.code }, 'storage failure');
      // Clients may retry; a kiosk shows the message meanwhile.
      return reply.status(storage.status).header('retry-after', '10').send({ error: storage.toBody() });
    }
    const status = err.statusCode ?? 500;
    // The static files' own refusals: a folder (`/ui/`, 403 from the file sender) or a missing
    // file is simply not found; it is not the request's fault.
    if (status === 404 || (status === 403 && !err.code)) {
      return reply.status(404).send({ error: new AppError('NOT_FOUND', `${req.method} ${req.url.split('?')[0]}`).toBody() });
    }
    if (status < 500) {
      const detail =
        err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'The body is too large.'
          : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? 'Send JSON.'
            : err.code?.startsWith('FST_ERR_CTP') || err.code === 'FST_ERR_VALIDATION' || err instanceof SyntaxError
              ? 'The body is not valid JSON.'
              : undefined;
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

/**
 * Fastify's `frameworkErrors`: a request refused by the router before any route runs, in the API's
 * shape. A path part over 100 characters (`maxParamLength`) or a bad %-escape in the path
 * (`/tickets/%E0%A4%A`) is 400 INVALID_INPUT; anything else the router refuses is INTERNAL.
 */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const e =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new AppError('INVALID_INPUT', 'A part of the address is too long (at most 100 characters).')
      : err.code === 'FST_ERR_BAD_URL'
        ? new AppError('INVALID_INPUT', 'The address has a malformed %-escape.')
        : null;
  if (!e) req.log.error({ err }, 'request refused by the router');
  const answer = e ?? new AppError('INTERNAL');
  void reply.status(answer.status).header('cache-control', 'no-store').send({ error: answer.toBody() });
}

/** The answers to a request Node's HTTP parser refused: status and the detail of INVALID_INPUT. */
const CLIENT_ERRORS: Record<string, { status: number; detail: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'The request headers are too large (at most 16 KiB).' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'The request did not arrive in time.' },
};

/**
 * Fastify's `clientErrorHandler` (Node's `clientError`): a request Node could not parse (headers
 * over 16 KiB, a malformed request line, a request that arrives too slowly) never reaches Fastify;
 * it is answered here, on the raw socket, in the API's shape with the status Node would use, and
 * the connection is closed.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket) {
  // A reset connection is gone: there is no one to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const known = err.code ? CLIENT_ERRORS[err.code] : undefined;
  const status = known?.status ?? 400;
  const body = JSON.stringify({ error: new AppError('INVALID_INPUT', known?.detail ?? 'The request is not valid HTTP.').toBody() });
  if (socket.writable) {
    const reason = status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request';
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Cache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
