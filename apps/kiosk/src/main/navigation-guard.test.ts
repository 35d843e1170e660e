import { describe, expect, it } from 'vitest';
import { installNavigationGuard, isAllowedUrl, isBlockedKey, type GuardedContents, type KeyInput } from './navigation-guard.js';

const ORIGIN = 'http://192.168.1.10:8080';

/** A stand-in for webContents that records listeners, so the test fires events like Electron would. */
function fakeContents() {
  const listeners = new Map<string, (...a: unknown[]) => void>();
  let openHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
  const contents = {
    on: (event: string, l: (...a: unknown[]) => void) => listeners.set(event, l),
    setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
  } as unknown as GuardedContents;
  const fire = (event: string, ...args: unknown[]) => {
    let prevented = false;
    listeners.get(event)?.({ preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler?.({ url }) };
}

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({ type: 'keyDown', key: k, control: false, meta: false, alt: false, shift: false, ...mods });

describe('navigation guard', () => {
  it('allows the kiosk pages of the configured server only', () => {
    expect(isAllowedUrl(`${ORIGIN}/kiosk#token=x`, ORIGIN)).toBe(true);
    expect(isAllowedUrl(`${ORIGIN}/kiosk/?idleMs=1000`, ORIGIN)).toBe(true);
    expect(isAllowedUrl(`${ORIGIN}/admin`, ORIGIN)).toBe(false);
    expect(isAllowedUrl(`${ORIGIN}/kioskevil`, ORIGIN)).toBe(false);
    expect(isAllowedUrl('http://192.168.1.10:9090/kiosk', ORIGIN)).toBe(false);
    expect(isAllowedUrl('https://example.com/kiosk', ORIGIN)).toBe(false);
    expect(isAllowedUrl('file:///etc/passwd', ORIGIN)).toBe(false);
    expect(isAllowedUrl('data:text/html,<p>offline', ORIGIN)).toBe(true);
    expect(isAllowedUrl('data:application/pdf,xx', ORIGIN)).toBe(false);
    expect(isAllowedUrl('not a url', ORIGIN)).toBe(false);
  });

  it('stops navigation, redirects, webviews and new windows', () => {
    const f = fakeContents();
    const logs: string[] = [];
    installNavigationGuard(f.contents, ORIGIN, (m) => logs.push(m));
    expect(f.fire('will-navigate', 'https://example.com/')).toBe(true);
    expect(f.fire('will-navigate', `${ORIGIN}/kiosk`)).toBe(false);
    expect(f.fire('will-redirect', 'http://evil/')).toBe(true);
    expect(f.fire('will-attach-webview')).toBe(true);
    expect(f.open('https://example.com/')).toEqual({ action: 'deny' });
    expect(f.open(`${ORIGIN}/kiosk`)).toEqual({ action: 'deny' });
    expect(logs.length).toBeGreaterThanOrEqual(3);
  });

  it('swallows devtools, close, print and history keys from a plugged-in keyboard', () => {
    const f = fakeContents();
    installNavigationGuard(f.contents, ORIGIN);
    expect(f.fire('before-input-event', key('F12'))).toBe(true);
    expect(f.fire('before-input-event', key('I', { control: true, shift: true }))).toBe(true);
    expect(f.fire('before-input-event', key('w', { control: true }))).toBe(true);
    expect(f.fire('before-input-event', key('F4', { alt: true }))).toBe(true);
    expect(f.fire('before-input-event', key('ArrowLeft', { alt: true }))).toBe(true);
    expect(f.fire('before-input-event', key('1'))).toBe(false);
    expect(isBlockedKey({ ...key('F12'), type: 'keyUp' })).toBe(false);
  });
});
