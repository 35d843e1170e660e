import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The kiosk window: fullscreen, no frame, no menu, and the page locked in a sandbox
 * (CONVENTIONS habit 4). Kept as data so a unit test can check every switch without Electron.
 */
export function kioskWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    fullscreen: true,
    kiosk: true,
    frame: false,
    // Electron 43 rounds the corners of frameless windows on Linux too (default true): on a
    // fullscreen kiosk that would only cut the page's corners.
    roundedCorners: false,
    autoHideMenuBar: true,
    backgroundColor: '#0b3d2e',
    // Shown only once the page painted, so a citizen never sees a white flash.
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
      spellcheck: false,
      // A kiosk has no keyboard; pinch zoom would strand a citizen in a zoomed page.
      zoomFactor: 1,
      // Keep timers (idle return, reconnect) running even if the window is ever occluded.
      backgroundThrottling: false,
    },
  };
}

/** Chromium switches set before `app.ready`: no pinch zoom, no swipe navigation, no autoplay gate. */
export const KIOSK_SWITCHES: ReadonlyArray<readonly [string, string?]> = [
  ['disable-pinch'],
  ['overscroll-history-navigation', '0'],
  ['autoplay-policy', 'no-user-gesture-required'],
];
