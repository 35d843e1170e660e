/**
 * Electron entry: only wiring. Every decision lives in a plain module with its own unit test
 * (config, window-options, navigation-guard, print-handler, admin-handler, watchdog).
 */
import { app, BrowserWindow, ipcMain, Menu, session } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverServer } from '@luot/discovery';
import { fontsDir, registerTicketFonts } from '@luot/ticket-printer';
import { ADMIN_CHANNEL, PRINT_CHANNEL } from '../shared/kiosk-api.js';
import { createAdminHandler } from './admin-handler.js';
import { createPinGuard } from './admin-pin.js';
import { asarUnpackedPath } from './asar-path.js';
import { kioskPageUrl, loadKioskConfig } from './config.js';
import { configErrorPageUrl, resolveConfigPath } from './config-path.js';
import { installNavigationGuard } from './navigation-guard.js';
import { createPrintHandler } from './print-handler.js';
import { createPrinterPort } from './printer-port.js';
import { resolveServerUrl } from './server-url.js';
import { installWatchdog, offlinePageUrl } from './watchdog.js';
import { KIOSK_SWITCHES, kioskWindowOptions } from './window-options.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const log = (msg: string) => console.log(`[kiosk] ${new Date().toISOString()} ${msg}`);

for (const [name, value] of KIOSK_SWITCHES) app.commandLine.appendSwitch(name, value);
// A second kiosk window on the same screen would print twice; keep one instance.
if (!app.requestSingleInstanceLock()) app.quit();
Menu.setApplicationMenu(null);

async function start(): Promise<void> {
  // Which Electron (and so which Chromium) a kiosk runs: what a technician checks after a
  // security release (docs/adr/0010-keeping-dependencies-current.md).
  log(`Luot Kiosk ${app.getVersion()} on Electron ${process.versions.electron} (Chromium ${process.versions.chrome})`);
  const configPath = resolveConfigPath(process.argv, process.env, app.getPath('userData'));
  const loaded = await loadKioskConfig(configPath);
  const win = new BrowserWindow(kioskWindowOptions(join(here, '../preload/preload.cjs')));
  win.once('ready-to-show', () => win.show());
  // Nothing the page asks for (camera, geolocation, notifications...) is ever granted.
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));

  if (!loaded.ok) {
    log(`config invalid: ${loaded.errors.join('; ')}`);
    await win.loadURL(configErrorPageUrl(configPath, loaded.errors));
    return;
  }
  // serverUrl "auto": find the server on the LAN (the manual URL in kiosk.json is the fallback).
  const serverUrl = await resolveServerUrl(loaded.config.serverUrl, () => discoverServer({ timeoutMs: 3000 }), {
    log,
    onSearching: (n) => void win.loadURL(configErrorPageUrl(configPath, [`Đang tìm máy chủ Luot trên mạng (lần ${n}) / Looking for the Luot server on the network (try ${n})`])),
  });
  if (!serverUrl) {
    await win.loadURL(
      configErrorPageUrl(configPath, ['Không tìm thấy máy chủ Luot trên mạng: ghi địa chỉ vào serverUrl / No Luot server answered on the network: set serverUrl to its address']),
    );
    return;
  }
  const config = { ...loaded.config, serverUrl };
  // Start at login (Windows; Linux autostart is the .desktop file the installer writes).
  if (process.platform === 'win32' && app.isPackaged) app.setLoginItemSettings({ openAtLogin: true });

  if (app.isPackaged) {
    // The ticket fonts are read by native code, which cannot open files inside app.asar:
    // electron-builder.yml unpacks them, and the unpacked copy is registered before any print.
    // Not fatal: text-mode printers need no font, and a raster print then fails with a message.
    try {
      registerTicketFonts(asarUnpackedPath(fontsDir()));
    } catch (e) {
      log(`ticket fonts not loaded: ${String(e)}`);
    }
  }
  const printer = createPrinterPort(config.printer);
  ipcMain.handle(PRINT_CHANNEL, createPrintHandler({ printer, serverOrigin: config.serverUrl, log }));
  ipcMain.handle(
    ADMIN_CHANNEL,
    createAdminHandler({
      serverOrigin: config.serverUrl,
      pinGuard: createPinGuard({ hash: config.adminPinHash }),
      publicConfig: { serverUrl: config.serverUrl, printer: config.printer.url, kioskName: config.kioskName, configPath, version: app.getVersion() },
      printer,
      reload: () => win.webContents.reload(),
      quit: () => app.quit(),
      log,
    }),
  );
  installNavigationGuard(win.webContents, config.serverUrl, log);
  installWatchdog(win.webContents, { pageUrl: kioskPageUrl(config), offlineUrl: offlinePageUrl(), log }).start();
}

app.on('web-contents-created', (_e, contents) => {
  // Belt and braces for any contents we did not create ourselves.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (e) => e.preventDefault());
});
app.on('window-all-closed', () => app.quit());
app.whenReady().then(start, (e: unknown) => {
  log(`failed to start: ${String(e)}`);
  app.exit(1);
});
