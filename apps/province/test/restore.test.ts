import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../server/src/clock.js';
import { takeBackup } from '../../server/src/ops/backup.js';
import { restoreBackup } from '../../server/src/ops/restore.js';
import { readIdentity } from '../../server/src/province/identity.js';
import { tempDataDir } from '../../server/test/helpers/test-server.js';
import { prng, simulate, startCenter, type TestCenter } from './helpers/center.js';
import { expectSameEvents, expectSameFigures } from './helpers/compare.js';
import { startPostgres, type TestPostgres } from './helpers/postgres.js';
import { startProvince, type TestProvince } from './helpers/province.js';

/**
 * A center restored from a backup: its event seq goes back. The province must neither count the
 * re-shipped history twice nor silently drop what happened between the backup and the restore.
 * What it shows then (docs/province.md): every ticket the restored center holds, as it holds it,
 * plus the tickets only the replaced database knew (they happened: issued, maybe served), each
 * once. So the province's "issued" for that day = the center's report + those lost tickets.
 */
let pgs: TestPostgres;
let p: TestProvince;
beforeAll(async () => {
  pgs = await startPostgres();
  p = await startProvince(pgs);
});
afterAll(async () => {
  await p?.stop();
  await pgs?.stop();
});

const local = (s: string) => Date.parse(`${s}+07:00`);
const ticketIds = (c: TestCenter) => new Set((c.s.db.prepare('SELECT id FROM tickets').all() as { id: string }[]).map((r) => r.id));
const provinceTickets = async (centerId: number) =>
  (await p.pool.query<{ ticket_id: string; last_epoch: number }>('SELECT ticket_id, last_epoch FROM tickets WHERE center_id = $1', [centerId])).rows;

async function scenario(code: string, restore: (o: { dataDir: string; backupFile: string; now: number }) => Promise<void>) {
  const clock = manualClock(local('2026-11-20T07:30:00'));
  const dataDir = tempDataDir();
  const backupDir = join(dataDir, 'backups');
  mkdirSync(backupDir);
  const registration = await p.register(code);
  const rng = prng(code.length * 101);
  let c = await startCenter({ province: p, clock, code, registration, dataDir });

  // Morning, shipped; a backup; then an hour that only the replaced database will remember.
  await simulate(c, { steps: 8, rng, advance: (ms) => clock.advance(ms) });
  const backup = await takeBackup(c.s.db, { dir: backupDir, keep: 5, timeZone: 'Asia/Ho_Chi_Minh', now: clock.now() });
  const beforeBackup = ticketIds(c);
  await simulate(c, { steps: 8, rng, advance: (ms) => clock.advance(ms) });
  await c.caughtUp();
  const centerUid = readIdentity(c.s.db)?.centerUid;
  expect(centerUid).toMatch(/^[0-9a-f-]{36}$/);
  const epoch1Last = c.shipper.state().lastSeq;
  const lost = [...ticketIds(c)].filter((id) => !beforeBackup.has(id));
  expect(lost.length).toBeGreaterThan(3);
  await c.close({ keepData: true });

  await restore({ dataDir, backupFile: backup.file, now: clock.now() });

  // The restored center starts again and works on.
  clock.advance(10 * 60_000);
  c = await startCenter({ province: p, clock, code, registration, dataDir });
  await simulate(c, { steps: 6, rng, advance: (ms) => clock.advance(ms) });
  await c.caughtUp();

  // A new stream (same center, epoch 2) from seq 1; the first one stays as it was.
  expect(readIdentity(c.s.db)).toEqual({ centerUid, epoch: 2 });
  expect(c.shipper.state()).toMatchObject({ centerUid, epoch: 2, state: 'ok', behindEvents: 0 });
  const streams = (await p.pool.query('SELECT epoch, ack_seq FROM center_streams WHERE center_id = $1 ORDER BY epoch', [registration.id])).rows;
  expect(streams).toEqual([
    { epoch: 1, ack_seq: String(epoch1Last) },
    { epoch: 2, ack_seq: String(c.shipper.state().lastSeq) },
  ]);
  expect(c.shipper.state().lastSeq).toBeLessThan(epoch1Last + 200);
  await expectSameEvents(c, p, 2);

  // Every ticket once: the restored center's (from epoch 2), and the lost ones (from epoch 1).
  const held = await provinceTickets(registration.id);
  const now = ticketIds(c);
  for (const id of lost) expect(now.has(id)).toBe(false);
  expect(held.map((t) => t.ticket_id).sort()).toEqual([...now, ...lost].sort());
  for (const t of held) expect(t.last_epoch).toBe(now.has(t.ticket_id) ? 2 : 1);

  // Figures: the restored center's report, plus the lost tickets, never twice the re-shipped ones.
  const report = c.s.server.ctx.buildReport({ from: '2026-11-20', to: '2026-11-20' }) as any;
  const [fig] = await p.server.ctx.figures.report({ from: '2026-11-20', to: '2026-11-20', centerIds: [registration.id] });
  expect(fig!.totals.issued).toBe(report.totals.issued + lost.length);
  // Only the tickets the restored center holds: the same figures as its report.
  await p.pool.query('DELETE FROM tickets WHERE center_id = $1 AND last_epoch = 1', [registration.id]);
  await expectSameFigures(c, p, '2026-11-20', '2026-11-20');
  await c.close();
  rmSync(dataDir, { recursive: true, force: true });
}

describe('a center restored from a backup', () => {
  it('by the restore tool: the epoch moves on, nothing counts twice, nothing is dropped', async () => {
    await scenario('restored-by-tool', async ({ dataDir, backupFile, now }) => {
      const r = await restoreBackup({ backupFile, dataDir, port: 0, now, timeZone: 'Asia/Ho_Chi_Minh' });
      expect(r.tickets).toBeGreaterThan(0);
    });
  });

  it('by hand (the backup copied over the database): the shipper sees the seq went back and moves the epoch on itself', async () => {
    await scenario('restored-by-hand', async ({ dataDir, backupFile }) => {
      for (const suffix of ['-wal', '-shm']) rmSync(join(dataDir, `luot.sqlite${suffix}`), { force: true });
      copyFileSync(backupFile, join(dataDir, 'luot.sqlite'));
    });
  });
});
