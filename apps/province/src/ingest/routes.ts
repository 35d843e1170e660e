import { PROVINCE_MAX_BODY_BYTES, PROVINCE_MAX_EVENTS, ProvinceBatch } from '@luot/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ProvinceContext } from '../context.js';
import { issuesOf, ProvinceError } from '../errors.js';
import { bearer, hashKey } from './keys.js';
import { centerByKeyHash, ingestBatch, streamState, type CenterRow } from './store.js';

/**
 * What the centers call (Authorization: Bearer <center key>):
 * POST /api/v1/ingest        one batch of the center's event log → { centerUid, epoch, ackSeq }
 * GET  /api/v1/ingest/state  the latest stream the province holds → { centerUid, epoch, ackSeq }
 * The key is checked before the body is read (onRequest), so an unknown key learns nothing else.
 */
export function ingestRoutes(app: FastifyInstance, ctx: ProvinceContext): void {
  const centers = new WeakMap<FastifyRequest, { center: CenterRow; keyHash: string }>();
  const authenticate = async (req: FastifyRequest) => {
    const key = bearer(req.headers.authorization);
    if (!key) throw new ProvinceError('UNAUTHORIZED');
    const keyHash = hashKey(key);
    const center = await centerByKeyHash(ctx.pool, keyHash);
    if (!center || center.revoked) throw new ProvinceError('UNAUTHORIZED');
    centers.set(req, { center, keyHash });
  };

  app.post('/api/v1/ingest', { bodyLimit: PROVINCE_MAX_BODY_BYTES, onRequest: authenticate }, async (req) => {
    const { keyHash } = centers.get(req)!;
    const raw = req.body as { events?: unknown } | null;
    if (raw && Array.isArray(raw.events) && raw.events.length > PROVINCE_MAX_EVENTS) {
      throw new ProvinceError('PAYLOAD_TOO_LARGE', `${raw.events.length} events.`);
    }
    const parsed = ProvinceBatch.safeParse(raw);
    if (!parsed.success) throw new ProvinceError('INVALID_INPUT', undefined, { issues: issuesOf(parsed.error) });
    return ingestBatch(ctx.pool, keyHash, parsed.data);
  });

  app.get('/api/v1/ingest/state', { onRequest: authenticate }, async (req) => streamState(ctx.pool, centers.get(req)!.center));
}
