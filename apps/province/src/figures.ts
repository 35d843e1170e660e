import type pg from 'pg';

/** Filled in below (kept as a stub in the first commit so the dashboard can import the type). */
export type Figures = ReturnType<typeof createFigures>;

export function createFigures(pool: pg.Pool) {
  void pool;
  return {};
}
