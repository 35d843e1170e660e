import { DEFAULT_PRINTER_CODE_PAGE, parsePrinterAddress, type PrinterCreateBody, type PrinterInfo, type PrinterPatchBody, type ServerPrintOutcome } from '@luot/protocol';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Db } from '../db/open.js';
import type { PrinterFields, PrinterRow } from '../db/printer.repo.js';
import type { Repos } from '../db/repos.js';
import { AppError } from '../errors.js';
import { actorIds, type Actor } from '../queue/actor.js';
import type { PrinterPool } from './printer-pool.js';
import { PrinterInputError } from './printer-input-error.js';
import { ticketPrinter } from './printer-lib.js';
import { layoutFor, targetOfPrinter } from './print-target.js';
import type { RateLimiter } from './rate-limit.js';

export interface PrinterListDeps {
  db: Db;
  repos: Repos;
  clock: Clock;
  logger: Pick<Logger, 'info'>;
  /** Shared with ticket printing: one printer per address, its jobs one at a time. */
  pool: PrinterPool;
  /** Test pages per admin (the same limiter as ticket printing). */
  limiter: RateLimiter;
  /** A time as the center's local ISO string (queue views). */
  iso: (ms: number) => string;
}

const notFound = () => new PrinterInputError('NOT_FOUND', 'No such printer.', 'Không có máy in này.');

/**
 * The admin's printer list (docs/printing.md): list, add, change, delete, each change audited in
 * its own transaction; and a test page printed on one of them. A kiosk assigned here prints its
 * tickets on that printer at its width and in its mode. Refusals name the field in both languages.
 */
export function createPrinterList({ db, repos, clock, logger, pool, limiter, iso }: PrinterListDeps) {
  const repo = repos.printers;
  const info = (p: PrinterRow): PrinterInfo => ({
    id: p.id,
    name: p.name,
    address: `tcp://${p.host.includes(':') ? `[${p.host}]` : p.host}:${p.port}`,
    widthMm: p.widthMm,
    mode: p.mode,
    codePage: p.codePage,
    kioskIds: p.kioskIds,
    updatedAt: iso(p.updatedAt),
  });

  /** Each id must be a kiosk that is still paired: a TV or a revoked kiosk never asks to print. */
  function checkKiosks(ids: readonly number[]) {
    for (const id of ids) {
      const d = repos.devices.get(id);
      if (!d) throw new PrinterInputError('DEVICE_NOT_FOUND', `There is no kiosk with id ${id}.`, `Không có máy lấy số (kiosk) mã ${id}.`, 'kioskIds');
      if (d.kind !== 'kiosk') throw new PrinterInputError('INVALID_INPUT', `“${d.name}” is a display, not a kiosk.`, `“${d.name}” là màn hình, không phải máy lấy số.`, 'kioskIds');
      if (d.revoked) throw new PrinterInputError('INVALID_INPUT', `Kiosk “${d.name}” has been revoked.`, `Máy lấy số “${d.name}” đã bị thu hồi.`, 'kioskIds');
    }
  }

  /** One entry per printer: the same address twice would split one printer's jobs in two queues. */
  function checkAddressFree(host: string, port: number, self: number | null) {
    const other = repo.list().find((p) => p.host === host && p.port === port && p.id !== self);
    if (other) throw new PrinterInputError('INVALID_INPUT', `Printer “${other.name}” already has this address.`, `Máy in “${other.name}” đã dùng địa chỉ này.`, 'address');
  }

  function list(): PrinterInfo[] {
    return repo.list().map(info);
  }

  function create(actor: Actor, body: PrinterCreateBody): PrinterInfo {
    const addr = parsePrinterAddress(body.address);
    if (!addr.ok) throw new PrinterInputError('INVALID_INPUT', addr.en, addr.vi, 'address');
    const kioskIds = body.kioskIds ?? [];
    const now = clock.now();
    const id = db.transaction(() => {
      checkKiosks(kioskIds);
      checkAddressFree(addr.host, addr.port, null);
      const fields: PrinterFields = { name: body.name, host: addr.host, port: addr.port, widthMm: body.widthMm, mode: body.mode, codePage: body.codePage ?? DEFAULT_PRINTER_CODE_PAGE };
      const newId = repo.create(fields, now);
      const moved = repo.setKiosks(newId, kioskIds);
      repos.audit.add(now, actorIds(actor).userId, 'printer.create', `printer:${newId}`, { ...body, address: addr.address, codePage: fields.codePage, kioskIds, ...(moved.length ? { moved } : {}) });
      return newId;
    })();
    return info(repo.get(id)!);
  }

  function update(actor: Actor, id: number, patch: PrinterPatchBody): PrinterInfo {
    const now = clock.now();
    db.transaction(() => {
      const cur = repo.get(id);
      if (!cur) throw notFound();
      const addr = patch.address !== undefined ? parsePrinterAddress(patch.address) : null;
      if (addr && !addr.ok) throw new PrinterInputError('INVALID_INPUT', addr.en, addr.vi, 'address');
      const next: PrinterFields = {
        name: patch.name ?? cur.name,
        host: addr?.ok ? addr.host : cur.host,
        port: addr?.ok ? addr.port : cur.port,
        widthMm: patch.widthMm ?? cur.widthMm,
        mode: patch.mode ?? cur.mode,
        codePage: patch.codePage ?? cur.codePage,
      };
      if (addr?.ok) checkAddressFree(addr.host, addr.port, id);
      if (patch.kioskIds) checkKiosks(patch.kioskIds);
      repo.update(id, next, now);
      const moved = patch.kioskIds ? repo.setKiosks(id, patch.kioskIds) : [];
      repos.audit.add(now, actorIds(actor).userId, 'printer.update', `printer:${id}`, {
        ...patch,
        ...(addr?.ok ? { address: addr.address } : {}),
        ...(patch.kioskIds ? { kioskIdsBefore: cur.kioskIds } : {}),
        ...(moved.length ? { moved } : {}),
      });
    })();
    return info(repo.get(id)!);
  }

  function remove(actor: Actor, id: number): { id: number; deleted: true } {
    const now = clock.now();
    db.transaction(() => {
      const cur = repo.get(id);
      if (!cur) throw notFound();
      repo.delete(id);
      repos.audit.add(now, actorIds(actor).userId, 'printer.delete', `printer:${id}`, { name: cur.name, address: info(cur).address, kioskIds: cur.kioskIds });
    })();
    return { id, deleted: true };
  }

  /**
   * A test page on one printer, at its width and in its mode: the center's name, "In thử" and
   * the printer's settings, and a QR code of `baseUrl`, so scanning it with a phone also checks
   * that phones on the Wi-Fi reach the server (LUOT_PUBLIC_URL).
   */
  async function testPage(actor: Actor, id: number, baseUrl: string): Promise<ServerPrintOutcome> {
    if (!limiter.take(`user:${actorIds(actor).userId ?? ''}`)) throw new AppError('TOO_MANY_REQUESTS');
    const p = repo.get(id);
    if (!p) throw notFound();
    const target = targetOfPrinter(p);
    const center = repos.settings.center();
    const { renderTicket } = await ticketPrinter();
    const { bytes } = await renderTicket(
      {
        id: 'test',
        number: '0000',
        serviceName: { vi: `In thử: ${p.name}`, en: `Test print: ${p.name}` },
        issuedAt: clock.now(),
        ahead: 0,
        estimatedWaitMinutes: null,
        priority: false,
        ticketUrl: `${baseUrl}/`,
      },
      { ...layoutFor(target, center), footer: `${info(p).address} · ${p.widthMm} mm · ${p.mode === 'text' ? `text WPC1258 (ESC t ${p.codePage})` : 'raster'}` },
    );
    const outcome = await pool.send(target.transport, bytes, { printerId: p.id, test: true });
    logger.info({ printerId: p.id, printed: outcome.printed, ...(outcome.printed ? {} : { code: outcome.printerError }) }, 'printer test page');
    return outcome;
  }

  return { list, create, update, remove, testPage };
}
export type PrinterList = ReturnType<typeof createPrinterList>;
