import type { FastifyInstance } from 'fastify';
import type { ProvinceContext } from '../context.js';

/**
 * The province dashboard: pages, the read/report API, CSV/Excel exports.
 * Filled in by the dashboard engineer (this file is theirs); the core only calls it once from
 * createProvinceServer, after the ingest and admin routes are registered.
 */
export async function registerDashboard(app: FastifyInstance, ctx: ProvinceContext): Promise<void> {
  void app;
  void ctx;
}
