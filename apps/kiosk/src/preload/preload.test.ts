import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ADMIN_CHANNEL, PRINT_CHANNEL } from '../shared/kiosk-api.js';

/**
 * Runs the preload the way Electron's sandbox does: a CommonJS script in a fresh context whose
 * `require` knows only 'electron'. The Electron module itself is replaced by recorders (the
 * binary is not here). If the preload ever imported anything else at run time, this fails.
 */
function loadPreload() {
  const source = readFileSync(fileURLToPath(new URL('./preload.cts', import.meta.url)), 'utf8');
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const exposed = new Map<string, unknown>();
  const invoked: { channel: string; arg: unknown }[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (channel: string, arg: unknown) => {
        invoked.push({ channel, arg });
        return { ok: true };
      },
    },
  };
  const sandboxRequire = (name: string) => {
    if (name === 'electron') return electron;
    throw new Error(`sandboxed preload cannot require ${name}`);
  };
  const module = { exports: {} };
  runInNewContext(js, { require: sandboxRequire, module, exports: module.exports });
  return { exposed, invoked };
}

describe('preload', () => {
  it('exposes exactly print, printerStatus and admin as window.kiosk, on the shared channel names', async () => {
    const { exposed, invoked } = loadPreload();
    expect([...exposed.keys()]).toEqual(['kiosk']);
    const api = exposed.get('kiosk') as Record<string, (...a: unknown[]) => Promise<unknown>>;
    expect(Object.keys(api).sort()).toEqual(['admin', 'print', 'printerStatus']);
    await api.print!({ kind: 'ticket' });
    await api.printerStatus!();
    await api.admin!({ action: 'unlock', pin: '1' });
    expect(invoked).toEqual([
      { channel: PRINT_CHANNEL, arg: { kind: 'ticket' } },
      { channel: PRINT_CHANNEL, arg: { kind: 'status' } },
      { channel: ADMIN_CHANNEL, arg: { action: 'unlock', pin: '1' } },
    ]);
  });
});
