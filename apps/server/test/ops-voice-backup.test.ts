import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listBackups, removeBackupLeftovers, takeBackup } from '../src/ops/backup.js';
import { RestoreError, restoreBackup } from '../src/ops/restore.js';
import { parsePack } from '../src/voice/pack.js';
import { createVoiceStore } from '../src/voice/store.js';
import { wavFile } from '../src/voice/wav.js';
import { startTestServer, tempDataDir, type TestServer } from './helpers/test-server.js';

/**
 * The center's recorded voice travels with its backups (docs/operations.md): the studio's clips
 * written beside the database backup, and a restore onto another data directory serving the same
 * bytes. Real server, real SQLite files, real voice folders in temp dirs.
 */
const dirs: string[] = [];
const tmp = () => {
  const d = tempDataDir();
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const TZ = 'Asia/Ho_Chi_Minh';
const tone = (seconds: number, freq: number, rate = 24000) => Int16Array.from({ length: Math.round(seconds * rate) }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * freq * i) / rate)));

async function voiceServer(dataDir = tmp()): Promise<TestServer> {
  return startTestServer({ dataDir, voiceDir: join(dataDir, 'voice') });
}

/** Installs a clip through the studio's API, as the admin page does. */
async function record(s: TestServer, clip: string, wav: Uint8Array): Promise<void> {
  const r = await fetch(`${s.url}/api/v1/voice/vi/clips/${clip}`, { method: 'PUT', headers: { authorization: `Bearer ${s.adminToken}`, 'content-type': 'audio/wav' }, body: Buffer.from(wav) });
  expect(r.status, await r.text()).toBe(200);
}

/** What a TV gets for a clip. */
const served = async (s: TestServer, clip: string) => new Uint8Array(await (await fetch(`${s.url}/voice/vi/${clip}.ogg`)).arrayBuffer());

describe('the voice in the backup', () => {
  it('a backup holds the recorded clips; restored on a fresh data dir, the TV gets the same bytes', async () => {
    const intro = wavFile(tone(0.5, 440), 24000);
    const hai = wavFile(tone(0.3, 660), 24000);
    const handPlacedOgg = new TextEncoder().encode('OggS-hand-placed-ba');
    const s = await voiceServer();
    const stick = tmp();
    let backup: string;
    try {
      await record(s, 'intro', intro);
      await record(s, 'hai', hai);
      writeFileSync(join(s.dataDir, 'voice', 'vi', 'ba.ogg'), handPlacedOgg);
      const r = await takeBackup(s.db, { dir: stick, keep: 3, timeZone: TZ, now: Date.parse('2026-03-04T02:00:00+07:00') });
      backup = r.file;
      expect(r.voice).toEqual([{ lang: 'vi', file: join(stick, 'luot-2026-03-04-020000.voice-vi.json'), clips: 3, bytes: expect.any(Number) }]);
      expect(readdirSync(stick).sort()).toEqual(['luot-2026-03-04-020000.sqlite', 'luot-2026-03-04-020000.voice-vi.json']);
      // The studio's own import reads the file: the WAV clips, byte for byte.
      const pack = JSON.parse(readFileSync(r.voice[0]!.file, 'utf8')) as unknown;
      const clips = new Map(parsePack(pack, 'vi').map((c) => [c.clip, c.bytes]));
      expect([...clips.keys()].sort()).toEqual(['hai', 'intro']);
      expect(clips.get('intro')).toEqual(intro);
    } finally {
      await s.close();
    }

    // The PC's disk died: a new data directory, the database and the voice from the stick.
    const fresh = tmp();
    const restored = await restoreBackup({ backupFile: backup, dataDir: fresh, port: 0, now: Date.now(), skipNumbers: 0 });
    expect(restored.voice).toEqual([{ lang: 'vi', clips: 3, keptAside: null }]);
    expect(readdirSync(join(fresh, 'voice')).sort()).toEqual(['vi']);
    const s2 = await voiceServer(fresh);
    try {
      expect(await served(s2, 'intro')).toEqual(intro);
      expect(await served(s2, 'hai')).toEqual(hai);
      expect(await served(s2, 'ba')).toEqual(handPlacedOgg);
      const overview = (await s2.api('GET', '/voice/vi', { token: s2.adminToken })).body as { clips: { clip: string; custom: { format: string } | null }[] };
      expect(overview.clips.filter((c) => c.custom).map((c) => `${c.clip}.${c.custom!.format}`).sort()).toEqual(['ba.ogg', 'hai.wav', 'intro.wav']);
    } finally {
      await s2.close();
    }
  });

  it('restored over a newer voice: the backup voice is served, the newer one kept aside whole', async () => {
    const dataDir = tmp();
    const s = await voiceServer(dataDir);
    const stick = tmp();
    const old = wavFile(tone(0.5, 440), 24000);
    const newer = wavFile(tone(0.5, 880), 24000);
    const ba = wavFile(tone(0.4, 550), 24000);
    let backup: string;
    try {
      await record(s, 'intro', old);
      backup = (await takeBackup(s.db, { dir: stick, keep: 3, timeZone: TZ, now: Date.now() })).file;
      // Recorded after the backup.
      await record(s, 'intro', newer);
      await record(s, 'ba', ba);
    } finally {
      await s.close({ keepData: true });
    }
    const r = await restoreBackup({ backupFile: backup, dataDir, port: 0, now: Date.now() });
    expect(r.voice).toHaveLength(1);
    const aside = r.voice[0]!.keptAside!;
    expect(aside).toMatch(/replaced[/\\]voice-before-restore-[^/\\]+[/\\]vi$/);
    expect(readFileSync(join(aside, 'intro.wav'))).toEqual(Buffer.from(newer));
    expect(readFileSync(join(aside, 'ba.wav'))).toEqual(Buffer.from(ba));
    const store = createVoiceStore(join(dataDir, 'voice'));
    expect(store.list('vi').map((c) => c.clip)).toEqual(['intro']);
    expect(store.read('vi', 'intro', 'wav')).toEqual(old);
    // No staging folder left behind.
    expect(readdirSync(join(dataDir, 'voice'))).toEqual(['vi']);
  });

  it('without a recorded voice: the database only, and a restore leaves the current voice as it is', async () => {
    const s = await voiceServer();
    const stick = tmp();
    let backup: string;
    try {
      const r = await takeBackup(s.db, { dir: stick, keep: 3, timeZone: TZ, now: Date.now() });
      backup = r.file;
      expect(r.voice).toEqual([]);
      expect(readdirSync(stick)).toEqual([backup.slice(stick.length + 1)]);
    } finally {
      await s.close();
    }
    const dataDir = tmp();
    const mine = wavFile(tone(0.3, 300), 24000);
    mkdirSync(join(dataDir, 'voice', 'vi'), { recursive: true });
    writeFileSync(join(dataDir, 'voice', 'vi', 'intro.wav'), mine);
    const r = await restoreBackup({ backupFile: backup, dataDir, port: 0, now: Date.now(), skipNumbers: 0 });
    expect(r.voice).toEqual([]);
    expect(readdirSync(join(dataDir, 'voice', 'vi'))).toEqual(['intro.wav']);
    expect(readFileSync(join(dataDir, 'voice', 'vi', 'intro.wav'))).toEqual(Buffer.from(mine));
    expect(existsSync(join(dataDir, 'replaced'))).toBe(false);
  });

  it('keep: an old backup goes with its voice file; a voice file without its database is a leftover', async () => {
    const s = await voiceServer();
    const stick = tmp();
    try {
      await record(s, 'intro', wavFile(tone(0.3, 440), 24000));
      const day = Date.parse('2026-03-04T02:00:00+07:00');
      const deleted: string[] = [];
      for (let i = 0; i < 3; i++) deleted.push(...(await takeBackup(s.db, { dir: stick, keep: 2, timeZone: TZ, now: day + i * 86_400_000 })).deleted);
      expect(deleted.map((f) => f.slice(stick.length + 1))).toEqual(['luot-2026-03-04-020000.sqlite', 'luot-2026-03-04-020000.voice-vi.json']);
      writeFileSync(join(stick, 'luot-2026-03-01-020000.voice-vi.json'), '{}');
      writeFileSync(join(stick, 'notes.txt'), 'x');
      expect(removeBackupLeftovers(stick)).toEqual(['luot-2026-03-01-020000.voice-vi.json']);
      expect(readdirSync(stick).sort()).toEqual([
        'luot-2026-03-05-020000.sqlite',
        'luot-2026-03-05-020000.voice-vi.json',
        'luot-2026-03-06-020000.sqlite',
        'luot-2026-03-06-020000.voice-vi.json',
        'notes.txt',
      ]);
      expect(listBackups(stick)).toHaveLength(2);
    } finally {
      await s.close();
    }
  });

  it('a damaged voice file refuses the restore before anything changes, and says how to go on without it', async () => {
    const dataDir = tmp();
    const s = await voiceServer(dataDir);
    const stick = tmp();
    const mine = wavFile(tone(0.3, 300), 24000);
    let backup: string;
    try {
      await record(s, 'intro', wavFile(tone(0.3, 440), 24000));
      const r = await takeBackup(s.db, { dir: stick, keep: 3, timeZone: TZ, now: Date.now() });
      backup = r.file;
      const text = readFileSync(r.voice[0]!.file, 'utf8');
      writeFileSync(r.voice[0]!.file, text.slice(0, text.length / 2));
      await record(s, 'intro', mine);
    } finally {
      await s.close({ keepData: true });
    }
    const before = readFileSync(join(dataDir, 'luot.sqlite'));
    const err = await restoreBackup({ backupFile: backup, dataDir, port: 0, now: Date.now() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RestoreError);
    expect((err as Error).message).toMatch(/voice file .*voice-vi\.json cannot be restored \(not JSON.*move that file out of the backup folder/);
    expect(readFileSync(join(dataDir, 'luot.sqlite'))).toEqual(before);
    expect(readFileSync(join(dataDir, 'voice', 'vi', 'intro.wav'))).toEqual(Buffer.from(mine));
    expect(existsSync(join(dataDir, 'replaced'))).toBe(false);
  });
});
