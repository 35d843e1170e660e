import { describe, expect, it } from 'vitest';
import { kioskWindowOptions } from './window-options.js';

describe('kiosk window options', () => {
  const o = kioskWindowOptions('/app/preload.cjs');

  it('locks the page in: isolation, sandbox, no node, no devtools, no webview', () => {
    expect(o.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
  });

  it('fills the screen with no frame and no menu, shown only once painted', () => {
    expect(o).toMatchObject({ fullscreen: true, kiosk: true, frame: false, roundedCorners: false, autoHideMenuBar: true, show: false });
  });
});
