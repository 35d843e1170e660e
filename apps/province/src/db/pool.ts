import pg from 'pg';

/**
 * A node-postgres pool for the province database. DATE columns (business days) are read as
 * 'YYYY-MM-DD' strings, never as JS Dates at local midnight (which would shift a day in some
 * zones); set once for the process, for every pool.
 */
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);

export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  // An idle connection dropped by PostgreSQL (restart, failover) must not end the process: the
  // pool opens a new one on the next query, and requests answer 503 while the database is away.
  pool.on('error', (err) => process.stderr.write(`PostgreSQL: ${err.message}\n`));
  return pool;
}
