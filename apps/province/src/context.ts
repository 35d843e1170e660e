import type { FastifyBaseLogger } from 'fastify';
import type pg from 'pg';
import type { Figures } from './figures.js';

/** What every route module of the province service gets (the core's and the dashboard's). */
export interface ProvinceContext {
  /** The province's PostgreSQL (node-postgres pool). */
  pool: pg.Pool;
  /** Figures per center and service for a date range, and each center now (src/figures.ts). */
  figures: Figures;
  /** The province's clock (ms since epoch): tests move it; figures never use it for a ticket's times. */
  now(): number;
  logger: FastifyBaseLogger;
}
