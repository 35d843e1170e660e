/**
 * Keeps the kiosk page alive without a technician: a crashed or hung renderer is reloaded, and a
 * page that fails to load (server down at boot, network cable out) is replaced by a local
 * "Đang kết nối…" page that retries with backoff. Once loaded, the page itself reconnects its
 * socket, so this only covers the cases where no page is running at all.
 */

export interface WatchedContents {
  on(event: 'render-process-gone', l: (e: unknown, details: { reason: string; exitCode: number }) => void): unknown;
  on(event: 'unresponsive' | 'responsive', l: () => void): unknown;
  on(event: 'did-fail-load', l: (e: unknown, errorCode: number, errorDescription: string, validatedURL: string, isMainFrame: boolean) => void): unknown;
  loadURL(url: string): Promise<void>;
  reload(): void;
  forcefullyCrashRenderer?(): void;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface WatchdogOptions {
  pageUrl: string;
  /** data: URL of the local connecting page. */
  offlineUrl: string;
  timers?: Timers;
  log?: (msg: string) => void;
  /** Retry delays: 1 s, doubling, at most maxDelayMs. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** How long a hung page may stay hung before it is killed and reloaded. */
  unresponsiveMs?: number;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function installWatchdog(contents: WatchedContents, opts: WatchdogOptions) {
  const timers = opts.timers ?? realTimers;
  const log = opts.log ?? (() => {});
  const minDelay = opts.minDelayMs ?? 1000;
  const maxDelay = opts.maxDelayMs ?? 15_000;
  let delay = minDelay;
  let retry: unknown = null;
  let hang: unknown = null;
  let crashes = 0;

  const load = () => {
    retry = null;
    contents.loadURL(opts.pageUrl).then(
      () => {
        delay = minDelay;
      },
      // did-fail-load also fires and schedules the retry; this catch only keeps the rejection handled.
      () => {},
    );
  };

  const scheduleLoad = (why: string) => {
    if (retry !== null) return;
    log(`${why}; loading the kiosk page again in ${delay} ms`);
    retry = timers.setTimeout(load, delay);
    delay = Math.min(delay * 2, maxDelay);
  };

  contents.on('did-fail-load', (_e, errorCode, desc, url, isMainFrame) => {
    // -3 is ERR_ABORTED: a navigation replaced by another, not a failure.
    if (!isMainFrame || errorCode === -3 || url.startsWith('data:')) return;
    void contents.loadURL(opts.offlineUrl).catch(() => {});
    scheduleLoad(`load failed (${errorCode} ${desc})`);
  });

  contents.on('render-process-gone', (_e, details) => {
    crashes += 1;
    log(`renderer gone: ${details.reason} (exit ${details.exitCode}), crash #${crashes}`);
    // 'clean-exit' happens on our own reloads and on quit; everything else is a crash or a kill.
    if (details.reason === 'clean-exit') return;
    scheduleLoad('renderer gone');
  });

  contents.on('unresponsive', () => {
    if (hang !== null) return;
    hang = timers.setTimeout(() => {
      hang = null;
      log('renderer hung; restarting it');
      contents.forcefullyCrashRenderer?.();
      contents.reload();
    }, opts.unresponsiveMs ?? 10_000);
  });
  contents.on('responsive', () => {
    if (hang !== null) timers.clearTimeout(hang);
    hang = null;
  });

  return {
    start: load,
    get crashes() {
      return crashes;
    },
  };
}

/** The page shown while the server cannot be reached; self-contained (no server, no scripts). */
export function offlinePageUrl(): string {
  const html = `<!doctype html><html lang="vi"><meta charset="utf-8"><title>Luot</title>
<body style="margin:0;height:100vh;display:flex;align-items:center;justify-content:center;background:#0b3d2e;color:#fff;font-family:sans-serif;text-align:center">
<div><div style="font-size:64px;font-weight:700">Đang kết nối…</div>
<div style="font-size:36px;opacity:.8;margin-top:16px">Connecting…</div>
<div style="font-size:28px;opacity:.7;margin-top:48px">Vui lòng chờ trong giây lát hoặc báo cán bộ. / Please wait or ask a staff member.</div></div></body></html>`;
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}
