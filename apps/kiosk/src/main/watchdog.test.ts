import { describe, expect, it } from 'vitest';
import { installWatchdog, offlinePageUrl, type Timers, type WatchedContents } from './watchdog.js';

/** Manual timers: the test decides when time passes. */
function manualTimers() {
  const pending: { fn: () => void; ms: number; id: number }[] = [];
  let id = 0;
  const timers: Timers = {
    setTimeout: (fn, ms) => (pending.push({ fn, ms, id: ++id }), id),
    clearTimeout: (h) => {
      const i = pending.findIndex((p) => p.id === h);
      if (i >= 0) pending.splice(i, 1);
    },
  };
  return { timers, pending, runNext: () => pending.shift()?.fn() };
}

function fakeContents(loadFails: () => boolean) {
  const listeners = new Map<string, (...a: unknown[]) => void>();
  const loads: string[] = [];
  let reloads = 0;
  let crashes = 0;
  const contents: WatchedContents = {
    on: ((event: string, l: (...a: unknown[]) => void) => listeners.set(event, l)) as WatchedContents['on'],
    loadURL: async (url) => {
      loads.push(url);
      if (!url.startsWith('data:') && loadFails()) {
        listeners.get('did-fail-load')?.({}, -102, 'ERR_CONNECTION_REFUSED', url, true);
        throw new Error('ERR_CONNECTION_REFUSED');
      }
    },
    reload: () => void reloads++,
    forcefullyCrashRenderer: () => void crashes++,
  };
  return { contents, loads, fire: (e: string, ...a: unknown[]) => listeners.get(e)?.(...a), reloads: () => reloads, crashes: () => crashes };
}

const PAGE = 'http://server:8080/kiosk#token=t';

describe('watchdog', () => {
  it('shows the connecting page and retries with growing delays until the server answers', async () => {
    let serverUp = false;
    const f = fakeContents(() => !serverUp);
    const t = manualTimers();
    installWatchdog(f.contents, { pageUrl: PAGE, offlineUrl: offlinePageUrl(), timers: t.timers, maxDelayMs: 4000 }).start();
    await Promise.resolve();
    expect(f.loads[0]).toBe(PAGE);
    expect(f.loads[1]).toMatch(/^data:text\/html/);
    expect(decodeURIComponent(f.loads[1] as string)).toContain('Đang kết nối…');
    expect(t.pending.map((p) => p.ms)).toEqual([1000]);
    t.runNext();
    await Promise.resolve();
    t.runNext();
    await Promise.resolve();
    expect(t.pending.map((p) => p.ms)).toEqual([4000]);
    serverUp = true;
    t.runNext();
    await Promise.resolve();
    expect(f.loads.at(-1)).toBe(PAGE);
    expect(t.pending).toEqual([]);
  });

  it('reloads the page after a renderer crash, but not after a clean exit', () => {
    const f = fakeContents(() => false);
    const t = manualTimers();
    const w = installWatchdog(f.contents, { pageUrl: PAGE, offlineUrl: 'data:text/html,x', timers: t.timers });
    f.fire('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    expect(t.pending).toEqual([]);
    f.fire('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(t.pending).toHaveLength(1);
    t.runNext();
    expect(f.loads).toEqual([PAGE]);
    expect(w.crashes).toBe(2);
  });

  it('kills and reloads a renderer that stays hung, not one that recovers', () => {
    const f = fakeContents(() => false);
    const t = manualTimers();
    installWatchdog(f.contents, { pageUrl: PAGE, offlineUrl: 'data:text/html,x', timers: t.timers, unresponsiveMs: 5000 });
    f.fire('unresponsive');
    f.fire('responsive');
    expect(t.pending).toEqual([]);
    f.fire('unresponsive');
    t.runNext();
    expect(f.crashes()).toBe(1);
    expect(f.reloads()).toBe(1);
  });
});
