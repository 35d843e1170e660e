import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { crashPoint } from '../ops/crash-point.js';
import { fsyncDir } from '../ops/files.js';
import { isVoiceLang, type VoiceLang } from './clips.js';

/**
 * A language's whole voice folder replaced by another (a restore), so that being killed at any
 * point leaves the old voice or the new one, never a mix of both. A folder cannot be renamed
 * over a non-empty one, so the swap takes two renames; the state between them is written down
 * by the folders' own names and finished by `settleVoiceSwap` (run by the next restore and by
 * the voice store when the server starts):
 *
 *   <voice>/.restoring-<lang>/  being written: not yet the voice; an interruption deletes it;
 *   <voice>/.incoming-<lang>/   complete and chosen (renamed from .restoring after the restored
 *                               database is in place): an interruption finishes the swap.
 *
 * The replaced folder is kept, never deleted, in `<data dir>/replaced/voice-before-restore-…/`.
 */
const STAGING = /^\.restoring-([a-z]{2,3})$/;
const INCOMING = /^\.incoming-([a-z]{2,3})$/;
export const stagingDirOf = (voiceDir: string, lang: VoiceLang) => join(voiceDir, `.restoring-${lang}`);
const incomingDirOf = (voiceDir: string, lang: VoiceLang) => join(voiceDir, `.incoming-${lang}`);

/** Writes the files of the new voice into its staging folder, each flushed; nothing the TV reads changes. */
export function stageVoiceFolder(voiceDir: string, lang: VoiceLang, files: readonly { name: string; bytes: Uint8Array }[]): void {
  const dir = stagingDirOf(voiceDir, lang);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const { name, bytes } of files) {
    const fd = openSync(join(dir, name), 'wx', 0o644);
    try {
      let at = 0;
      while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  fsyncDir(dir);
  fsyncDir(voiceDir);
}

/** Deletes a staged voice that was not chosen (a restore refused or failed before its swap). */
export function dropStagedVoice(voiceDir: string, lang: VoiceLang): void {
  rmSync(stagingDirOf(voiceDir, lang), { recursive: true, force: true });
}

/**
 * Makes the staged voice the language's voice: one rename chooses it (from then on an
 * interruption finishes the swap instead of undoing it), then the current folder goes aside and
 * the new one takes its name. Returns where the replaced folder was kept (null: it was empty or absent).
 */
export function commitStagedVoice(voiceDir: string, lang: VoiceLang, asideBase: string): string | null {
  renameSync(stagingDirOf(voiceDir, lang), incomingDirOf(voiceDir, lang));
  fsyncDir(voiceDir);
  crashPoint('restore-voice-chosen');
  return finishSwap(voiceDir, lang, asideBase);
}

function finishSwap(voiceDir: string, lang: VoiceLang, asideBase: string): string | null {
  const live = join(voiceDir, lang);
  let keptAside: string | null = null;
  if (existsSync(live)) {
    if (readdirSync(live).length === 0) {
      // Empty (the server creates the folder at start): nothing to keep.
      rmdirSync(live);
    } else {
      let base = asideBase;
      for (let i = 2; existsSync(base); i++) base = `${asideBase}-${i}`;
      mkdirSync(base, { recursive: true });
      keptAside = join(base, lang);
      renameSync(live, keptAside);
      fsyncDir(base);
      fsyncDir(dirname(base));
    }
    fsyncDir(voiceDir);
  }
  crashPoint('restore-voice-kept-aside');
  renameSync(incomingDirOf(voiceDir, lang), live);
  fsyncDir(voiceDir);
  crashPoint('restore-voice-swapped');
  return keptAside;
}

/**
 * Finishes or undoes a voice swap an interruption left: a chosen (`.incoming-`) voice is put in
 * place, an unchosen (`.restoring-`) one deleted. Returns what it did, for the log.
 */
export function settleVoiceSwap(voiceDir: string, asideBase: string): string[] {
  if (!existsSync(voiceDir)) return [];
  const done: string[] = [];
  for (const name of readdirSync(voiceDir)) {
    const staged = STAGING.exec(name);
    if (staged) {
      rmSync(join(voiceDir, name), { recursive: true, force: true });
      done.push(`removed ${name}`);
      continue;
    }
    const chosen = INCOMING.exec(name);
    if (chosen && isVoiceLang(chosen[1] as string)) {
      finishSwap(voiceDir, chosen[1] as VoiceLang, asideBase);
      done.push(`finished ${name}`);
    }
  }
  return done;
}
