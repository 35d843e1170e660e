/**
 * Keeps the kiosk on the server's kiosk page: a citizen must never reach another site, a file,
 * a new window or the devtools (a tap on a stray link in a service name, a swipe, a key chord
 * from a plugged-in keyboard). Plain functions over a minimal WebContents shape, so they are
 * tested without Electron.
 */

export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (e: { preventDefault(): void; url: string }, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (e: { preventDefault(): void }) => void): unknown;
  on(event: 'before-input-event', listener: (e: { preventDefault(): void }, input: KeyInput) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface KeyInput {
  type: string;
  key: string;
  control: boolean;
  meta: boolean;
  alt: boolean;
  shift: boolean;
}

/** Only pages of the kiosk app on the configured server, plus the local "connecting" page. */
export function isAllowedUrl(url: string, serverOrigin: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === 'data:') return url.startsWith('data:text/html');
  return u.origin === serverOrigin && (u.pathname === '/kiosk' || u.pathname.startsWith('/kiosk/'));
}

/** Key chords that would leave or inspect the page: reload is fine (the watchdog does it too). */
export function isBlockedKey(input: KeyInput): boolean {
  if (input.type !== 'keyDown') return false;
  const k = input.key.toLowerCase();
  const mod = input.control || input.meta;
  if (k === 'f12' || k === 'f11') return true;
  if (mod && input.shift && (k === 'i' || k === 'j' || k === 'c')) return true;
  if (mod && (k === 'w' || k === 'q' || k === 'n' || k === 't' || k === 'p' || k === 'o' || k === 's' || k === 'u')) return true;
  if (input.alt && (k === 'f4' || k === 'arrowleft' || k === 'arrowright' || k === 'home')) return true;
  if (k === 'browserback' || k === 'browserforward') return true;
  return false;
}

export function installNavigationGuard(contents: GuardedContents, serverOrigin: string, log: (msg: string) => void = () => {}): void {
  const guard = (e: { preventDefault(): void }, url: string) => {
    if (!isAllowedUrl(url, serverOrigin)) {
      e.preventDefault();
      log(`blocked navigation to ${url.slice(0, 200)}`);
    }
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.on('before-input-event', (e, input) => {
    if (isBlockedKey(input)) e.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    log(`blocked new window ${url.slice(0, 200)}`);
    return { action: 'deny' };
  });
}
