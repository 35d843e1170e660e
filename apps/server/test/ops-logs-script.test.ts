import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runServerUntilExit } from './faults/fault-helpers.js';
import { freePort, tempDataDir } from './helpers/test-server.js';

/**
 * scripts/logs reads the server's log files offline (no npx pino-pretty, no internet): the log
 * file a real server process wrote in its data directory, read by the real script.
 */
const run = promisify(execFile);
const script = fileURLToPath(new URL('../../../scripts/logs', import.meta.url));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('scripts/logs', () => {
  it('prints the newest log file of LUOT_DATA_DIR as local time, level, message and fields; --level filters', async () => {
    const dir = tempDataDir();
    dirs.push(dir);
    // A server that could not open its port wrote its reason in <data dir>/logs.
    const port = await freePort();
    const other = createServer();
    await new Promise<void>((r) => other.listen(port, '127.0.0.1', r));
    try {
      const r = await runServerUntilExit(dir, { port, env: { LOG_LEVEL: 'info' } });
      expect(r.code).toBe(9);
    } finally {
      await new Promise((r) => other.close(r));
    }
    const all = await run(script, [], { env: { ...process.env, LUOT_DATA_DIR: dir } });
    expect(all.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d INFO {2}database opened {2}file=\S+luot\.sqlite /m);
    expect(all.stdout).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d ERROR cannot listen: start refused {2}code=EADDRINUSE port=${port} host=127\\.0\\.0\\.1$`, 'm'));
    const errors = await run(script, ['--level', 'error'], { env: { ...process.env, LUOT_DATA_DIR: dir } });
    expect(errors.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('reads a file given by name, keeps lines that are not JSON, and says when there is no log', async () => {
    const dir = tempDataDir();
    dirs.push(dir);
    const file = join(dir, 'x.log');
    writeFileSync(file, `${JSON.stringify({ level: 40, time: Date.now(), msg: 'backup failed', dir: '/media/luot backup' })}\nplain text line\n`);
    const r = await run(script, [file]);
    expect(r.stdout).toMatch(/ WARN {2}backup failed {2}dir="\/media\/luot backup"\nplain text line\n$/);
    const none = await run(script, [], { env: { ...process.env, LUOT_DATA_DIR: join(dir, 'nowhere') } }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no log file in');
  });
});
