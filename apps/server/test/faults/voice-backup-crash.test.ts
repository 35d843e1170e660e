import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open.js';
import { BackupError, listBackups, removeBackupLeftovers, takeBackup } from '../../src/ops/backup.js';
import { voiceClips } from '../../src/voice/clips.js';
import { wavFile } from '../../src/voice/wav.js';
import { freePort, spawnServer, tempDataDir } from '../helpers/test-server.js';
import { mountTmpfs } from './fault-helpers.js';

/**
 * The voice steps of the backup and of the restore, killed for real (SIGKILL via
 * LUOT_TEST_CRASH_AT, built code: `pnpm exec tsc -b`): a killed backup leaves only leftovers the
 * next backup removes, never a backup without its voice; a killed restore leaves the old voice or
 * the new one as the restarted server serves it, never a mix; a full USB stick fails the backup
 * cleanly.
 */
const dirs: string[] = [];
const tmp = () => {
  const d = tempDataDir();
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const cli = (name: string) => fileURLToPath(new URL(`../../dist/src/cli/${name}.js`, import.meta.url));
const backupJs = fileURLToPath(new URL('../../dist/src/ops/backup.js', import.meta.url));
const openJs = fileURLToPath(new URL('../../dist/src/db/open.js', import.meta.url));

function runNode(args: string[], env: Record<string, string>): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, args, { env: { ...process.env, ...env } }, (_err, stdout, stderr) => {
      resolve({ code: child.exitCode, signal: child.signalCode, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

const tone = (seconds: number, freq: number, rate = 24000) => Int16Array.from({ length: Math.round(seconds * rate) }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * freq * i) / rate)));
const clipWav = (freq: number) => Buffer.from(wavFile(tone(0.25, freq), 24000));

/** A data directory: a database and, in voice/vi/, the given clips. */
function dataDirWith(voice: Record<string, Buffer>): string {
  const dir = tmp();
  openDatabase(join(dir, 'luot.sqlite')).close();
  mkdirSync(join(dir, 'voice', 'vi'), { recursive: true });
  for (const [name, bytes] of Object.entries(voice)) writeFileSync(join(dir, 'voice', 'vi', name), bytes);
  return dir;
}

// The old voice (on the PC) and the backup's (new): `hai` only in the old, `ba` only in the new.
const OLD = { 'intro.wav': clipWav(440), 'hai.wav': clipWav(660) };
const NEW = { 'intro.wav': clipWav(880), 'ba.wav': clipWav(550) };

describe('a backup killed at its voice steps', () => {
  it.each(['backup-voice-written', 'backup-voice-renamed', 'backup-verified'])('killed at %s: no backup, only leftovers the next backup removes', async (step) => {
    const src = dataDirWith(NEW);
    const stick = tmp();
    const script = join(src, 'backup.mjs');
    writeFileSync(
      script,
      `import { openDatabase } from ${JSON.stringify(openJs)};
       import { takeBackup } from ${JSON.stringify(backupJs)};
       const db = openDatabase(${JSON.stringify(join(src, 'luot.sqlite'))});
       await takeBackup(db, { dir: ${JSON.stringify(stick)}, keep: 5, timeZone: 'Asia/Ho_Chi_Minh', now: Date.now() });`,
    );
    const killed = await runNode([script], { LUOT_TEST_CRASH_AT: step });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(listBackups(stick)).toEqual([]);
    expect(readdirSync(stick).length).toBeGreaterThan(0);
    expect(removeBackupLeftovers(stick).length).toBeGreaterThan(0);
    expect(readdirSync(stick)).toEqual([]);

    const db = openDatabase(join(src, 'luot.sqlite'));
    try {
      const r = await takeBackup(db, { dir: stick, keep: 5, timeZone: 'Asia/Ho_Chi_Minh', now: Date.now() });
      expect(r.voice.map((v) => v.clips)).toEqual([2]);
      expect(readdirSync(stick).sort()).toEqual([r.file, r.voice[0]!.file].map((f) => f.slice(stick.length + 1)).sort());
    } finally {
      db.close();
    }
  });
});

describe('a restore killed at its voice steps', () => {
  let backupFile: string;
  beforeAll(async () => {
    const src = dataDirWith(NEW);
    const stick = tmp();
    const b = await runNode([cli('backup'), '--to', stick], { LUOT_DATA_DIR: src });
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toMatch(/voice \(vi\): .*\.voice-vi\.json \(2 clips/);
    backupFile = listBackups(stick)[0]!;
  });

  /** What the restarted server serves for intro, hai and ba: the old voice, the new one, or a mix. */
  async function servedVoice(dir: string): Promise<'old' | 'new' | string> {
    const port = await freePort();
    const { child, url } = await spawnServer(dir, port);
    try {
      const get = async (clip: string) => Buffer.from(await (await fetch(`${url}/voice/vi/${clip}.ogg`)).arrayBuffer());
      const [intro, hai, ba] = [await get('intro'), await get('hai'), await get('ba')];
      const isOld = intro.equals(OLD['intro.wav']) && hai.equals(OLD['hai.wav']) && !ba.equals(NEW['ba.wav']);
      const isNew = intro.equals(NEW['intro.wav']) && ba.equals(NEW['ba.wav']) && !hai.equals(OLD['hai.wav']);
      return isOld ? 'old' : isNew ? 'new' : `a mix (intro ${intro.length} B, hai ${hai.length} B, ba ${ba.length} B)`;
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }

  const STEPS: [string, 'old' | 'new'][] = [
    ['restore-voice-staged', 'old'],
    ['restore-prepared', 'old'],
    ['restore-verified', 'old'],
    ['restore-voice-chosen', 'new'],
    ['restore-voice-kept-aside', 'new'],
    ['restore-voice-swapped', 'new'],
  ];
  it.each(STEPS)('killed at %s: the server serves the %s voice whole; run again, the restore completes', async (step, expected) => {
    const dir = dataDirWith(OLD);
    const killed = await runNode([cli('restore'), backupFile, '--port', '0'], { LUOT_DATA_DIR: dir, LUOT_TEST_CRASH_AT: step });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(await servedVoice(dir)).toBe(expected);
    // The server's start finished or undid the swap: no staging folder left.
    expect(readdirSync(join(dir, 'voice'))).toEqual(['vi']);
    // Nothing of the old voice is ever deleted: when replaced, it is kept aside whole.
    if (expected === 'new') {
      const aside = readdirSync(join(dir, 'replaced')).filter((f) => f.startsWith('voice-before-restore-'));
      expect(aside).toHaveLength(1);
      expect(readdirSync(join(dir, 'replaced', aside[0]!, 'vi')).sort()).toEqual(['hai.wav', 'intro.wav']);
    }

    const again = await runNode([cli('restore'), backupFile, '--port', '0'], { LUOT_DATA_DIR: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/voice \(vi\): 2 .*clips from the backup installed/);
    expect(await servedVoice(dir)).toBe('new');
  }, 60_000);

  it('a backup without a voice file: the restore says so and leaves the current voice', async () => {
    const dir = dataDirWith(OLD);
    const bare = join(tmp(), 'luot-2026-03-04-020000.sqlite');
    copyFileSync(backupFile, bare);
    const r = await runNode([cli('restore'), bare, '--port', '0'], { LUOT_DATA_DIR: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/the backup holds no recorded voice: the current voice is left as it is/);
    expect(await servedVoice(dir)).toBe('old');
    expect(existsSync(join(dir, 'replaced')) && readdirSync(join(dir, 'replaced')).some((f) => f.startsWith('voice-'))).toBe(false);
  }, 30_000);
});

describe('a USB stick too full for the voice', () => {
  it('fails the backup with a clear error and leaves nothing on the stick', async () => {
    // About 1.4 MB of clips (a whole recorded voice), 1.9 MB as base64: more than the stick holds.
    const voice: Record<string, Buffer> = {};
    for (const [i, c] of voiceClips().slice(0, 30).entries()) voice[`${c.clip}.wav`] = Buffer.from(wavFile(tone(1, 200 + i * 10), 24000));
    const src = dataDirWith(voice);
    const stick = mountTmpfs('1m');
    const db = openDatabase(join(src, 'luot.sqlite'));
    try {
      const err = await takeBackup(db, { dir: stick.dir, keep: 5, timeZone: 'Asia/Ho_Chi_Minh', now: Date.now() }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BackupError);
      expect((err as Error).message).toMatch(/is full: the center's voice recordings did not fit/);
      expect(readdirSync(stick.dir)).toEqual([]);
    } finally {
      db.close();
      stick.unmount();
    }
  });
});
