import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { opsConfigFromEnv } from '../src/ops/config.js';
import { closeLogger, createLogger } from '../src/ops/logging.js';
import { tempDataDir } from './helpers/test-server.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('opsConfigFromEnv', () => {
  it('has defaults a center can live with', () => {
    const c = opsConfigFromEnv({ LUOT_DATA_DIR: '/srv/luot' });
    expect(c).toEqual({
      dataDir: '/srv/luot',
      dbFile: '/srv/luot/luot.sqlite',
      port: 8080,
      backupDir: null,
      backupAt: '02:00',
      backupKeep: 14,
      retentionDays: 730,
      discoveryPort: 41234,
      discoveryHost: '0.0.0.0',
      publicUrl: null,
      logFile: '/srv/luot/logs/luot.log',
      logKeep: 14,
    });
  });

  it('reads every setting, and "off" switches discovery and the log file off', () => {
    const c = opsConfigFromEnv({
      LUOT_DATA_DIR: '/srv/luot',
      PORT: '80',
      LUOT_BACKUP_DIR: '/media/usb/luot',
      LUOT_BACKUP_AT: '23:30',
      LUOT_BACKUP_KEEP: '30',
      LUOT_RETENTION_DAYS: '0',
      LUOT_DISCOVERY_PORT: 'off',
      LUOT_PUBLIC_URL: 'http://luot.lan:80/',
      LUOT_LOG_FILE: 'off',
      LUOT_LOG_KEEP: '7',
    });
    expect(c).toMatchObject({ port: 80, backupDir: '/media/usb/luot', backupAt: '23:30', backupKeep: 30, retentionDays: 0, discoveryPort: null, publicUrl: 'http://luot.lan:80', logFile: null, logKeep: 7 });
  });

  it('refuses nonsense with the variable name in the message', () => {
    expect(() => opsConfigFromEnv({ LUOT_BACKUP_AT: '2am' })).toThrow(/LUOT_BACKUP_AT/);
    expect(() => opsConfigFromEnv({ LUOT_BACKUP_AT: '24:00' })).toThrow(/LUOT_BACKUP_AT/);
    expect(() => opsConfigFromEnv({ LUOT_BACKUP_KEEP: '0' })).toThrow(/LUOT_BACKUP_KEEP/);
    expect(() => opsConfigFromEnv({ LUOT_RETENTION_DAYS: '-1' })).toThrow(/LUOT_RETENTION_DAYS/);
    expect(() => opsConfigFromEnv({ LUOT_DISCOVERY_PORT: '70000' })).toThrow(/LUOT_DISCOVERY_PORT/);
    expect(() => opsConfigFromEnv({ LUOT_PUBLIC_URL: 'luot.lan' })).toThrow(/LUOT_PUBLIC_URL/);
  });
});

describe('log files', () => {
  it('writes JSON lines to a dated file in the logs folder, secrets censored', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const ops = opsConfigFromEnv({ LUOT_DATA_DIR: dataDir, LUOT_LOG_KEEP: '3' });
    const logger = createLogger(ops, { level: 'info', redact: ['token', 'password'] });
    logger.info({ token: 'secret-token-value', ticket: 'A001' }, 'issued');
    logger.debug('below the level');
    await closeLogger(logger);
    const files = readdirSync(join(dataDir, 'logs'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^luot\.\d{4}-\d{2}-\d{2}\.1\.log$/);
    const lines = readFileSync(join(dataDir, 'logs', files[0]!), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'issued', ticket: 'A001', token: '[Redacted]' });
  });
});
