#!/usr/bin/env node
/**
 * Restores a backup: `node apps/server/dist/src/cli/restore.js <backup-file>` (scripts/restore).
 * Refuses while the server runs; keeps the replaced database in <dataDir>/replaced/; verifies
 * the backup first. Settings from the environment, as the server: LUOT_DATA_DIR, PORT.
 */
import { resolve } from 'node:path';
import { opsConfigFromEnv } from '../ops/config.js';
import { RestoreError, restoreBackup } from '../ops/restore.js';
import { parseArgs } from './args.js';

async function main(): Promise<number> {
  const { positional, flags } = parseArgs(process.argv.slice(2));
  const file = positional[0];
  if (!file || flags.has('help')) {
    console.log('Usage: scripts/restore <backup-file> [--data-dir DIR] [--port N]\n  Stop the Luot service first. The current database is kept in <data dir>/replaced/.');
    return file ? 0 : 2;
  }
  const env = { ...process.env };
  if (typeof flags.get('data-dir') === 'string') env.LUOT_DATA_DIR = flags.get('data-dir') as string;
  if (typeof flags.get('port') === 'string') env.PORT = flags.get('port') as string;
  const ops = opsConfigFromEnv(env);
  const r = await restoreBackup({ backupFile: resolve(file), dataDir: ops.dataDir, port: ops.port, now: Date.now() });
  console.log(`Khôi phục xong / restore done: ${r.dbFile} (${r.tickets} tickets, schema v${r.schemaBefore}${r.schemaAfter !== r.schemaBefore ? ` -> v${r.schemaAfter}` : ''})`);
  if (r.keptAside) console.log(`  Dữ liệu cũ được giữ tại / previous database kept at: ${r.keptAside}`);
  console.log('  Start the Luot service again.');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const known = err instanceof RestoreError;
    console.error(`Khôi phục bị từ chối / restore refused: ${(err as Error).message}`);
    process.exit(known ? 3 : 1);
  },
);
