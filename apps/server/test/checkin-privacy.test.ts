import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_IN_LOG_REDACT } from '../src/checkin/redact.js';
import { closeLogger, createLogger } from '../src/ops/logging.js';
import { createBatchReader } from '../src/province/batch.js';
import { ADMIN_PASSWORD, freePort, manualClock, startTestServer, tempDataDir, type TestServer } from './helpers/test-server.js';

/**
 * Where a check-in's name and ID number must never appear (docs/privacy.md): a log line, a
 * report, a CSV or Excel export, the audit log, the province shipment, the phone's view of a
 * ticket. A day of check-ins (good, refused, retried) runs through the real server; then each of
 * those outputs is searched. Each search also finds something it should (the ticket numbers), so
 * an empty output cannot pass for a clean one.
 */
const THO = { idNumber: '001050012345', fullName: 'Nguyễn Văn Thọ', dateOfBirth: '1950-03-15', sex: 'male' } as const;
const NGOC = { idNumber: '079190004567', fullName: 'Trần Thị Bích Ngọc', dateOfBirth: '1990-07-02', sex: 'female' } as const;
const SECRETS = [THO.fullName, THO.idNumber, NGOC.fullName, NGOC.idNumber, 'Thọ', 'Bích Ngọc', '1950-03-15', '15031950'];
const expectClean = (what: string, text: string) => {
  for (const secret of SECRETS) expect(text.includes(secret), `${what} contains ${secret}`).toBe(false);
};

/** A morning of check-ins: good ones, refused ones, a retried one, calls, a finished citizen. */
async function morning(base: string, kiosk: string, officer: string): Promise<string[]> {
  const post = (path: string, body: unknown, headers: Record<string, string> = {}, token = kiosk) =>
    fetch(`${base}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: (await r.json().catch(() => null)) as any }));
  const numbers: string[] = [];
  for (const [checkIn, key] of [[THO, 'privacy-tap-0001'], [NGOC, 'privacy-tap-0002'], [THO, 'privacy-tap-0001']] as const) {
    const r = await post('/tickets', { serviceId: 1, checkIn }, { 'idempotency-key': key });
    expect(r.status).toBe(201);
    numbers.push(r.body.number);
  }
  // Refused: a bad date, an extra field, a body that is not JSON, the same key with another card.
  expect((await post('/tickets', { serviceId: 1, checkIn: { ...THO, dateOfBirth: '1950-02-30' } })).status).toBe(400);
  expect((await post('/tickets', { serviceId: 1, checkIn: { ...THO, address: 'Số 1 phố Huế' } })).status).toBe(400);
  expect((await post('/tickets', `{"serviceId":1,"checkIn":{"fullName":"${THO.fullName}","idNumber":"${THO.idNumber}"`)).status).toBe(400);
  expect((await post('/tickets', { serviceId: 1, checkIn: NGOC }, { 'idempotency-key': 'privacy-tap-0001' })).status).toBe(422);
  // Counter work: both called, one finished and rated, one cancelled.
  expect((await post('/counters/1/open', {}, {}, officer)).status).toBe(200);
  expect((await post('/counters/1/call-next', {}, {}, officer)).status).toBe(200);
  const citizen = await fetch(`${base}/api/v1/counters/1/citizen`, { headers: { authorization: `Bearer ${officer}` } }).then((r) => r.json() as Promise<any>);
  expect(citizen.citizen.fullName).toBe(THO.fullName);
  expect((await post('/counters/1/complete', {}, {}, officer)).status).toBe(200);
  expect((await post('/counters/1/call-next', {}, {}, officer)).status).toBe(200);
  expect((await post('/counters/1/no-show', {}, {}, officer)).status).toBe(200);
  return [...new Set(numbers)];
}

describe('the built server as a service: its log file and its console', () => {
  const dataDir = tempDataDir();
  let child: ChildProcess | null = null;
  let stdout = '';
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs the morning at trace level without a name or an ID number', async () => {
    const main = fileURLToPath(new URL('../dist/src/main.js', import.meta.url));
    if (!existsSync(main)) throw new Error('apps/server/dist is missing: run `pnpm exec tsc -b` first');
    const port = await freePort();
    child = spawn(process.execPath, [main], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LUOT_DATA_DIR: dataDir, LUOT_DEMO: '1', LUOT_ADMIN_PASSWORD: ADMIN_PASSWORD, LUOT_KIOSK_RATE_LIMIT: 'off', LUOT_DISCOVERY_PORT: 'off', LOG_LEVEL: 'trace' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (stdout += String(d)));
    child.stderr!.on('data', (d) => (stdout += String(d)));
    const base = `http://127.0.0.1:${port}`;
    await expect.poll(() => /#token=([A-Za-z0-9_-]+)/.test(stdout), { timeout: 20_000, interval: 50 }).toBe(true);
    const kiosk = /kiosk#token=([A-Za-z0-9_-]+)/.exec(stdout)![1]!;
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'canbo1', password: 'demo' }) });
    const officer = ((await login.json()) as { token: string }).token;
    const numbers = await morning(base, kiosk, officer);

    // Stopped cleanly, so every line is on disk.
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    child = null;
    const logDir = join(dataDir, 'logs');
    const files = readdirSync(logDir).map((f) => readFileSync(join(logDir, f), 'utf8'));
    expect(files.length).toBeGreaterThan(0);
    const logs = files.join('\n');
    // Real logs of this morning: its queue events by ticket number, at every level.
    for (const n of numbers) expect(logs).toContain(`"ticket":"${n}"`);
    expectClean('the log file', logs);
    expectClean('the console', stdout);
    // The key is a file of its own in the data directory, and not in any log either.
    const key = readFileSync(join(dataDir, 'checkin-hmac.key'));
    expect(logs.includes(key.toString('hex'))).toBe(false);
    expect(logs.includes(key.toString('base64'))).toBe(false);
  });
});

describe('log redaction, wherever a line might carry a check-in', () => {
  it('censors the check-in body and its fields at every depth a line is likely to put them', async () => {
    const dir = tempDataDir();
    const file = join(dir, 'logs', 'luot.log');
    const logger = createLogger({ logFile: file, logKeep: 1 }, { level: 'trace', redact: [...CHECK_IN_LOG_REDACT] });
    logger.info({ checkIn: THO }, 'top');
    logger.info({ body: { serviceId: 1, checkIn: THO } }, 'body');
    logger.info({ req: { body: { serviceId: 1, checkIn: NGOC } } }, 'request');
    logger.warn({ input: { checkIn: NGOC }, err: { fullName: THO.fullName, idNumber: THO.idNumber } }, 'error');
    logger.child({ citizen: { fullName: NGOC.fullName, dateOfBirth: NGOC.dateOfBirth } }).info('child');
    await closeLogger(logger);
    const text = readdirSync(join(dir, 'logs'))
      .map((f) => readFileSync(join(dir, 'logs', f), 'utf8'))
      .join('\n');
    expect(text.split('\n').filter(Boolean)).toHaveLength(5);
    expect(text).toContain('[Redacted]');
    expectClean('redacted lines', text);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('reports, exports, the audit log, the province shipment, the phone page', () => {
  const clock = manualClock(Date.parse('2026-11-23T09:00:00+07:00'));
  let s: TestServer;
  let numbers: string[];
  beforeAll(async () => {
    s = await startTestServer({ clock });
    numbers = await morning(s.url, s.kioskToken, await s.login('canbo1'));
    // The admin turns the feature off and on again: the settings are audited, never a person.
    for (const checkInEnabled of [false, true]) expect((await s.api('PATCH', '/admin/settings', { token: s.adminToken, body: { checkInEnabled } })).status).toBe(200);
  });
  afterAll(() => s.close());

  it('the report and its CSV and Excel exports', async () => {
    const q = 'from=2026-11-23&to=2026-11-23';
    const report = await s.api('GET', `/admin/reports?${q}`, { token: s.adminToken });
    expect(report.status).toBe(200);
    expectClean('the report', JSON.stringify(report.body));
    const csv = await fetch(`${s.url}/api/v1/admin/reports.csv?${q}`, { headers: { authorization: `Bearer ${s.adminToken}` } }).then((r) => r.text());
    expect(csv).toContain('Đất đai');
    expectClean('the CSV export', csv);
    const res = await fetch(`${s.url}/api/v1/admin/reports.xlsx?${q}`, { headers: { authorization: `Bearer ${s.adminToken}` } });
    const xlsx = Buffer.from(new Uint8Array(await res.arrayBuffer()));
    const sheets = JSON.stringify(await readXlsxFile(xlsx));
    expect(sheets).toContain('Đất đai');
    expectClean('the Excel export', sheets);
  });

  it('the audit log (both views)', async () => {
    for (const kind of ['changes', 'sign-ins']) {
      const r = await s.api('GET', `/admin/audit?kind=${kind}`, { token: s.adminToken });
      expect(r.status).toBe(200);
      expectClean(`the audit log (${kind})`, JSON.stringify(r.body));
    }
    const changes = JSON.stringify((await s.api('GET', '/admin/audit', { token: s.adminToken })).body);
    expect(changes).toContain('checkInEnabled');
  });

  it('the batch the province shipper would send: ticket facts and events, no person', () => {
    const read = createBatchReader(s.db).read({ centerUid: 'c-test', epoch: 1, ackSeq: 0, ratingCursor: 0, maxEvents: 500, heartbeat: true, now: clock.now() });
    const batch = JSON.stringify(read);
    for (const n of numbers) expect(batch).toContain(`"number":"${n}"`);
    expectClean('the province batch', batch);
  });

  it('the phone page of each ticket, and the public lists', async () => {
    const ids = (s.db.prepare('SELECT id FROM tickets').all() as { id: string }[]).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(1);
    for (const id of ids) expectClean('a phone page answer', JSON.stringify((await s.api('GET', `/tickets/${id}`)).body));
    expectClean('/services', JSON.stringify((await s.api('GET', '/services')).body));
    expectClean('/counters', JSON.stringify((await s.api('GET', '/counters', { token: s.displayToken })).body));
  });
});
