import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ProvinceContext } from '../context.js';
import { issuesOf, ProvinceError } from '../errors.js';
import { bearer, sameSecret } from '../ingest/keys.js';
import { createCenterAdmin } from './centers.js';

const newCenter = z.strictObject({
  code: z.string().trim().regex(/^[A-Za-z0-9._-]{1,40}$/, 'letters, digits, . _ - (at most 40)'),
  name: z.string().trim().min(1).max(200),
});
const idParam = z.object({ id: z.coerce.number().int().min(1) });

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new ProvinceError('INVALID_INPUT', undefined, { issues: issuesOf(r.error) });
  return r.data;
}

/**
 * The province admin API, behind the token in PROVINCE_ADMIN_TOKEN (Authorization: Bearer …):
 * GET  /api/v1/admin/centers               every registered center (never a key)
 * POST /api/v1/admin/centers               { code, name } → the center and its key, shown ONCE
 * POST /api/v1/admin/centers/:id/revoke    its key stops working; its figures stay
 * POST /api/v1/admin/centers/:id/key       a new key (the old one stops working)
 * POST /api/v1/admin/centers/:id/rebind    the key may bind to another center database
 * Without PROVINCE_ADMIN_TOKEN the admin API answers 503 ADMIN_NOT_CONFIGURED.
 */
export function adminRoutes(app: FastifyInstance, ctx: ProvinceContext, adminToken: string | null): void {
  const centers = createCenterAdmin(ctx.pool);
  const requireAdmin = async (req: FastifyRequest) => {
    if (!adminToken) throw new ProvinceError('ADMIN_NOT_CONFIGURED');
    const token = bearer(req.headers.authorization);
    if (!token || !sameSecret(token, adminToken)) throw new ProvinceError('UNAUTHORIZED', 'Province admin token required.');
  };
  const opts = { onRequest: requireAdmin };
  app.get('/api/v1/admin/centers', opts, async () => ({ centers: await centers.list() }));
  app.post('/api/v1/admin/centers', opts, async (req, reply) => {
    const body = parse(newCenter, req.body);
    const c = await centers.register(body.code, body.name);
    req.log.info({ center: c.code, id: c.id }, 'center registered');
    return reply.code(201).send(c);
  });
  app.post('/api/v1/admin/centers/:id/revoke', opts, async (req) => centers.revoke(parse(idParam, req.params).id));
  app.post('/api/v1/admin/centers/:id/key', opts, async (req) => centers.newKey(parse(idParam, req.params).id));
  app.post('/api/v1/admin/centers/:id/rebind', opts, async (req) => centers.rebind(parse(idParam, req.params).id));
}
