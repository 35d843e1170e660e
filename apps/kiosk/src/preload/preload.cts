/**
 * The only bridge between the kiosk page and the machine. Sandboxed preloads are CommonJS and may
 * require nothing but 'electron', hence `.cts`, `import = require`, and the channel names written
 * out here (preload.test.ts checks them against shared/kiosk-api.ts). The page gets three
 * functions, never `ipcRenderer` itself (CONVENTIONS habit 4).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a sandboxed preload is CommonJS: this compiles to require('electron'), the one module it may load
import electron = require('electron');
import type { AdminRequest, AdminResult, KioskApi, PrinterStatusResult, PrintResult, TicketPrintJob } from '../shared/kiosk-api.js';

const PRINT_CHANNEL = 'kiosk:print';
const ADMIN_CHANNEL = 'kiosk:admin';

const api = {
  print: (job: TicketPrintJob) => electron.ipcRenderer.invoke(PRINT_CHANNEL, job) as Promise<PrintResult>,
  printerStatus: () => electron.ipcRenderer.invoke(PRINT_CHANNEL, { kind: 'status' }) as Promise<PrinterStatusResult>,
  admin: (request: AdminRequest) => electron.ipcRenderer.invoke(ADMIN_CHANNEL, request) as Promise<AdminResult>,
} satisfies KioskApi;

electron.contextBridge.exposeInMainWorld('kiosk', api);
