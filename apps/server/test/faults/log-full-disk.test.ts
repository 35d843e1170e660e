import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dailyFileSink, troubleNotice } from '../../src/ops/log-sinks.js';
import { closeLogger, createLogger } from '../../src/ops/logging.js';
import { fillDisk, mountTmpfs, waitFor } from './fault-helpers.js';

/** The log on a real full (or read-only) file system: lines are dropped, nothing throws, one notice. */
const mounts: ReturnType<typeof mountTmpfs>[] = [];
afterEach(() => mounts.splice(0).forEach((m) => m.unmount()));

describe('log files on a full disk', () => {
  it('drops lines without throwing, says so once, and writes again when space returns', async () => {
    const fs = mountTmpfs('1m');
    mounts.push(fs);
    const said: string[] = [];
    const sink = dailyFileSink({ file: join(fs.dir, 'logs', 'luot.log'), keep: 3, notice: troubleNotice('(test)', (m) => said.push(m)) });
    sink.write('{"msg":"before"}\n');
    await waitFor(() => readdirSync(join(fs.dir, 'logs')).length === 1 && readFileSync(join(fs.dir, 'logs', readdirSync(join(fs.dir, 'logs'))[0]!), 'utf8').includes('before'));
    const filler = fillDisk(fs.dir);
    for (let i = 0; i < 2000; i++) sink.write(`{"msg":"while full ${i}","pad":"${'x'.repeat(200)}"}\n`);
    await waitFor(() => said.length > 0, 5000, 'the notice');
    for (let i = 0; i < 200; i++) sink.write(`{"msg":"still full ${i}"}\n`);
    await new Promise((r) => setTimeout(r, 100));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/ENOSPC/);
    expect(said[0]).toMatch(/không ghi được nhật ký.*cannot write the log/);

    rmSync(filler.file);
    sink.write('{"msg":"after"}\n');
    await waitFor(() => said.length === 2, 5000, 'the all-clear');
    expect(said[1]).toMatch(/again/);
    await sink.close();
    const text = readFileSync(join(fs.dir, 'logs', readdirSync(join(fs.dir, 'logs'))[0]!), 'utf8');
    expect(text).toContain('"before"');
    expect(text).toContain('"after"');
  });

  it('a logger whose folder is read-only keeps logging to stdout and never throws', async () => {
    const fs = mountTmpfs('1m', { readOnly: true });
    mounts.push(fs);
    const logger = createLogger({ logFile: join(fs.dir, 'logs', 'luot.log'), logKeep: 3 }, { level: 'info' });
    for (let i = 0; i < 100; i++) logger.error({ i }, 'cannot be written to the file');
    await new Promise((r) => setTimeout(r, 100));
    expect(() => logger.info('still fine')).not.toThrow();
    await closeLogger(logger);
    // A line after close goes nowhere, quietly.
    expect(() => logger.info('after close')).not.toThrow();
  });
});
