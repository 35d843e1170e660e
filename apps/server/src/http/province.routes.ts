import { ROUTES } from '@luot/protocol';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { linkOff, type Shipper } from '../province/shipper.js';
import { route } from './route.js';

/**
 * GET /api/v1/admin/province — the link to the province roll-up, for the center's admin: whether
 * it is configured (LUOT_PROVINCE_URL, LUOT_PROVINCE_KEY), its state ('ok' | 'retrying' |
 * 'refused' | 'off'), the last seq the province acknowledged, how many events it is behind, the
 * last success and the last error. Admin only. `shipper` is null when the link is not configured.
 */
export function provinceRoutes(app: FastifyInstance, ctx: AppContext, shipper: Shipper | null) {
  route(app, ROUTES.province, () => (shipper ? shipper.state() : linkOff(ctx.repos.events.lastSeq())));
}
