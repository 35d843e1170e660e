#!/usr/bin/env node
/**
 * Restores a backup: `node apps/server/dist/src/cli/restore.js <backup-file>` (scripts/restore).
 * Refuses while the server runs; keeps the replaced database in <dataDir>/replaced/; verifies
 * the backup first; killed at any point, leaves a whole database (the old or the restored one).
 * A voice file beside the backup (luot-….voice-vi.json) brings the center's recorded voice back.
 * Settings from the environment, as the server: LUOT_DATA_DIR, PORT. See docs/operations.md.
 */
import { resolve } from 'node:path';
import { opsConfigFromEnv } from '../ops/config.js';
import { settingErrorText } from '../ops/setting-error.js';
import { RestoreError, restoreBackup } from '../ops/restore.js';
import { parseArgs } from './args.js';

const USAGE = `Cách dùng / Usage: scripts/restore <backup-file> [--data-dir DIR] [--port N] [--skip-numbers N]
  Dừng dịch vụ Luot trước. Cơ sở dữ liệu hiện tại được giữ trong <thư mục dữ liệu>/replaced/.
  Stop the Luot service first. The current database is kept in <data dir>/replaced/.
  --data-dir DIR    the data directory to restore into (default: LUOT_DATA_DIR)
  --port N          the port checked for a running server (default: PORT)
  --skip-numbers N  only when the current database is missing or unreadable: skip N of today's
                    numbers per service past the backup's (numbers handed out after the backup).
  Thử trước / dry run: scripts/restore <file> --data-dir /tmp/luot-try --port 18080 --skip-numbers 0`;

function fail(vi: string, en: string): number {
  console.error(`${vi}\n${en}`);
  return 2;
}

async function main(): Promise<number> {
  const { positional, flags } = parseArgs(process.argv.slice(2));
  const file = positional[0];
  if (flags.has('help') || flags.has('h')) {
    console.log(USAGE);
    return 0;
  }
  if (!file) {
    console.error(USAGE);
    return 2;
  }
  const env = { ...process.env };
  if (typeof flags.get('data-dir') === 'string') env.LUOT_DATA_DIR = flags.get('data-dir') as string;
  if (typeof flags.get('port') === 'string') env.PORT = flags.get('port') as string;
  let skipNumbers: number | undefined;
  if (flags.has('skip-numbers')) {
    skipNumbers = Number(flags.get('skip-numbers'));
    if (!Number.isInteger(skipNumbers) || skipNumbers < 0) return fail('--skip-numbers phải là số nguyên từ 0 trở lên.', '--skip-numbers must be a whole number >= 0.');
  }
  let ops;
  try {
    ops = opsConfigFromEnv(env);
  } catch (err) {
    const t = settingErrorText(err);
    return fail(`Cấu hình sai: ${t.vi}`, `Bad setting: ${t.en}`);
  }
  const r = await restoreBackup({ backupFile: resolve(file), dataDir: ops.dataDir, port: ops.port, now: Date.now(), ...(skipNumbers !== undefined ? { skipNumbers } : {}) });
  console.log(`Khôi phục xong / restore done: ${r.dbFile} (${r.tickets} tickets, schema v${r.schemaBefore}${r.schemaAfter !== r.schemaBefore ? ` -> v${r.schemaAfter}` : ''})`);
  if (r.keptAside) console.log(`  Dữ liệu cũ được giữ tại / previous database kept at: ${r.keptAside}`);
  for (const g of r.numbering.gaps) {
    console.log(
      `  Số thứ tự / numbering ${g.businessDay}, lĩnh vực / service ${g.serviceId}: bỏ qua / skipped ${g.firstSeq}..${g.lastSeq} ` +
        (r.numbering.source === 'carried' ? '(đã cấp sau bản sao lưu / handed out after the backup)' : '(--skip-numbers)'),
    );
  }
  for (const v of r.voice) {
    console.log(`  Giọng đọc / voice (${v.lang}): ${v.clips} đoạn từ bản sao lưu đã được cài / clips from the backup installed`);
    if (v.keptAside) console.log(`  Giọng đọc cũ được giữ tại / previous voice kept at: ${v.keptAside}`);
  }
  if (!r.voice.length) console.log('  Bản sao lưu không có giọng đọc riêng: giữ nguyên giọng đọc hiện tại / the backup holds no recorded voice: the current voice is left as it is');
  console.log('  Khởi động lại dịch vụ Luot / start the Luot service again (systemctl start luot; Windows: luot-service.exe start).');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const known = err instanceof RestoreError;
    const message = (err as Error).message;
    if (known && err.vi) console.error(`Khôi phục bị từ chối: ${err.vi}\nRestore refused: ${message}`);
    else console.error(`Khôi phục bị từ chối / restore refused: ${message}`);
    process.exit(known ? 3 : 1);
  },
);
