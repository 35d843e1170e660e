import { randomBytes } from 'node:crypto';
import type { AdminResult, PublicKioskConfig } from '../shared/kiosk-api.js';
import type { PinCheck } from './admin-pin.js';
import type { InvokeEventLike, PrinterPort } from './print-handler.js';
import { isFromServer, PrinterError } from './print-handler.js';

/**
 * The `kiosk:admin` channel: every request carries the PIN and is checked here, in main, so a
 * page that was tampered with cannot skip the PIN screen. The device token is never returned.
 */
export interface AdminHandlerOptions {
  serverOrigin: string;
  pinGuard: { check(pin: string): PinCheck };
  publicConfig: PublicKioskConfig;
  printer: PrinterPort | null;
  reload(): void;
  quit(): void;
  log?: (msg: string) => void;
}

const ACTIONS = new Set(['unlock', 'config', 'test-print', 'reload', 'quit']);

export function createAdminHandler(opts: AdminHandlerOptions) {
  const log = opts.log ?? (() => {});
  return async function handleAdmin(event: InvokeEventLike, request: unknown): Promise<AdminResult> {
    if (!isFromServer(event, opts.serverOrigin)) return { ok: false, code: 'invalid', message: 'not from the kiosk page' };
    const r = request as { action?: unknown; pin?: unknown } | null;
    if (typeof r !== 'object' || r === null || typeof r.action !== 'string' || !ACTIONS.has(r.action) || typeof r.pin !== 'string' || r.pin.length > 12) {
      return { ok: false, code: 'invalid', message: 'malformed admin request' };
    }
    const check = opts.pinGuard.check(r.pin);
    if (!check.ok) {
      log(`admin: ${check.code}`);
      const minutes = Math.ceil((check.retryAfterMs ?? 0) / 60_000);
      return check.code === 'locked'
        ? { ok: false, code: 'locked', message: `locked for ${minutes} min` }
        : { ok: false, code: 'wrong_pin', message: 'wrong PIN' };
    }
    log(`admin: ${r.action}`);
    switch (r.action) {
      case 'unlock':
      case 'config':
        return { ok: true, config: opts.publicConfig };
      case 'test-print': {
        if (!opts.printer) return { ok: false, code: 'failed', message: 'no local printer configured' };
        const status = await opts.printer.status();
        if (!status.ok) return { ok: false, code: 'failed', message: `${status.code}: ${status.message}` };
        try {
          await opts.printer.print({
            kind: 'ticket',
            ticketId: `test-${randomBytes(8).toString('hex')}`,
            number: 'TEST',
            serviceName: { vi: 'In thử', en: 'Test print' },
            priority: false,
            ahead: 0,
            issuedAt: new Date().toISOString(),
            qrUrl: `${opts.serverOrigin}/kiosk/`,
          });
        } catch (e) {
          return { ok: false, code: 'failed', message: e instanceof PrinterError ? `${e.code}: ${e.message}` : String(e) };
        }
        return { ok: true, message: 'printed' };
      }
      case 'reload':
        opts.reload();
        return { ok: true };
      case 'quit':
        opts.quit();
        return { ok: true };
    }
    return { ok: false, code: 'invalid', message: 'unknown action' };
  };
}
