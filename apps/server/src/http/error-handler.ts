import type { FastifyError, FastifyInstance } from 'fastify';
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
