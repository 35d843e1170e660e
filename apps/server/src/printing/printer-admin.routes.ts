import { DEFAULT_PRINTER_CODE_PAGE, PrinterCreateBody, PrinterPatchBody, ROUTES, parsePrinterAddress, type PrinterInfo } from '@luot/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { AppContext } from '../context.js';
import type { PrinterFields, PrinterRow } from '../db/printer.repo.js';
import { AppError } from '../errors.js';
import { route } from '../http/route.js';
import { parseInput } from '../validate.js';
import type { PrinterPool } from './printer-pool.js';
import { PrinterInputError } from './printer-input-error.js';
import { ticketPrinter } from './printer-lib.js';
import { layoutFor, targetOfPrinter } from './print-target.js';
import type { RateLimiter } from './rate-limit.js';

/**
 * The admin's printer list under /api/v1/admin/printers (docs/printing.md): list, add, change,
 * delete, each change audited in its own transaction; and a test page printed on one of them.
 * A kiosk assigned here prints its tickets on that printer at its width and in its mode.
 */
export interface PrinterAdminDeps {
  pool: PrinterPool;
  limiter: RateLimiter;
  baseUrl: (req: FastifyRequest) => string;
}

/** What each field must be, in the admin's words (zod's own messages are English only). */
const FIELD_WORDS: Record<string, { vi: string; en: string }> = {
  name: { vi: 'Hãy đặt tên cho máy in (1–60 ký tự).', en: 'Give the printer a name (1–60 characters).' },
  widthMm: { vi: 'Khổ giấy phải là 58 mm hoặc 80 mm.', en: 'The paper width must be 58 or 80 mm.' },
  mode: { vi: 'Chế độ in phải là ảnh (raster) hoặc chữ (text, bảng mã WPC1258).', en: 'The mode must be raster (image) or text (WPC1258 code page).' },
  codePage: { vi: 'Bảng mã phải là số từ 0 đến 255 (máy Epson: 52).', en: 'The code page must be a number 0 to 255 (Epson: 52).' },
  kioskIds: { vi: 'Danh sách máy lấy số không hợp lệ (mỗi máy một lần, tối đa 100).', en: 'The kiosk list is not valid (each kiosk once, at most 100).' },
};

/** Parses a printer body; the first wrong field is named in Vietnamese and English. */
function parsePrinterBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const address = (body as { address?: unknown } | null)?.address;
  if (typeof address === 'string') {
    const a = parsePrinterAddress(address);
    if (!a.ok) throw new PrinterInputError('INVALID_INPUT', a.en, a.vi, 'address');
  }
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  const field = String(first?.path[0] ?? '');
  const words = FIELD_WORDS[field];
  if (words) throw new PrinterInputError('INVALID_INPUT', words.en, words.vi, field);
  return parseInput(schema, body);
}

export function printerAdminRoutes(app: FastifyInstance, ctx: AppContext, deps: PrinterAdminDeps) {
  const repo = ctx.repos.printers;
  const info = (p: PrinterRow): PrinterInfo => ({
    id: p.id,
    name: p.name,
    address: `tcp://${p.host.includes(':') ? `[${p.host}]` : p.host}:${p.port}`,
    widthMm: p.widthMm,
    mode: p.mode,
    codePage: p.codePage,
    kioskIds: p.kioskIds,
    updatedAt: ctx.queue.views.iso(p.updatedAt),
  });
  const userId = (actor: { kind: string; userId?: number }) => (actor.kind === 'user' ? (actor.userId ?? null) : null);

  /** Each id must be a kiosk that is still paired: a TV or a revoked kiosk never asks to print. */
  function checkKiosks(ids: readonly number[]) {
    for (const id of ids) {
      const d = ctx.repos.devices.get(id);
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

  route(app, ROUTES.printers, () => repo.list().map(info));

  // The printer forms parse with parsePrinterBody: a refusal names the wrong field in both languages.
  route(
    app,
    ROUTES.createPrinter,
    ({ actor, body }) => {
      const addr = parsePrinterAddress(body.address);
      if (!addr.ok) throw new PrinterInputError('INVALID_INPUT', addr.en, addr.vi, 'address');
      const kioskIds = body.kioskIds ?? [];
      const now = ctx.clock.now();
      const id = ctx.db.transaction(() => {
        checkKiosks(kioskIds);
        checkAddressFree(addr.host, addr.port, null);
        const fields: PrinterFields = { name: body.name, host: addr.host, port: addr.port, widthMm: body.widthMm, mode: body.mode, codePage: body.codePage ?? DEFAULT_PRINTER_CODE_PAGE };
        const newId = repo.create(fields, now);
        const moved = repo.setKiosks(newId, kioskIds);
        ctx.repos.audit.add(now, userId(actor), 'printer.create', `printer:${newId}`, { ...body, address: addr.address, codePage: fields.codePage, kioskIds, ...(moved.length ? { moved } : {}) });
        return newId;
      })();
      return info(repo.get(id)!);
    },
    { parseBody: (raw) => parsePrinterBody(PrinterCreateBody, raw) },
  );

  route(
    app,
    ROUTES.updatePrinter,
    ({ actor, params: { id }, body: patch }) => {
      const now = ctx.clock.now();
      ctx.db.transaction(() => {
        const cur = repo.get(id);
        if (!cur) throw new PrinterInputError('NOT_FOUND', 'No such printer.', 'Không có máy in này.');
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
        ctx.repos.audit.add(now, userId(actor), 'printer.update', `printer:${id}`, {
          ...patch,
          ...(addr?.ok ? { address: addr.address } : {}),
          ...(patch.kioskIds ? { kioskIdsBefore: cur.kioskIds } : {}),
          ...(moved.length ? { moved } : {}),
        });
      })();
      return info(repo.get(id)!);
    },
    { parseBody: (raw) => parsePrinterBody(PrinterPatchBody, raw) },
  );

  route(app, ROUTES.deletePrinter, ({ actor, params: { id } }) => {
    const now = ctx.clock.now();
    ctx.db.transaction(() => {
      const cur = repo.get(id);
      if (!cur) throw new PrinterInputError('NOT_FOUND', 'No such printer.', 'Không có máy in này.');
      repo.delete(id);
      ctx.repos.audit.add(now, userId(actor), 'printer.delete', `printer:${id}`, { name: cur.name, address: info(cur).address, kioskIds: cur.kioskIds });
    })();
    return { id, deleted: true };
  });

  /**
   * A test page on one printer, at its width and in its mode: the center's name, "In thử" and
   * the printer's settings, and a QR code of the server's address, so scanning it with a phone
   * also checks that phones on the Wi-Fi reach the server (LUOT_PUBLIC_URL).
   */
  route(app, ROUTES.testPrinter, async ({ actor, params: { id }, req }) => {
    if (!deps.limiter.take(`user:${userId(actor) ?? ''}`)) throw new AppError('TOO_MANY_REQUESTS');
    const p = repo.get(id);
    if (!p) throw new PrinterInputError('NOT_FOUND', 'No such printer.', 'Không có máy in này.');
    const target = targetOfPrinter(p);
    const center = ctx.repos.settings.center();
    const base = deps.baseUrl(req);
    const { renderTicket } = await ticketPrinter();
    const { bytes } = await renderTicket(
      {
        id: 'test',
        number: '0000',
        serviceName: { vi: `In thử: ${p.name}`, en: `Test print: ${p.name}` },
        issuedAt: ctx.clock.now(),
        ahead: 0,
        estimatedWaitMinutes: null,
        priority: false,
        ticketUrl: `${base}/`,
      },
      { ...layoutFor(target, center), footer: `${info(p).address} · ${p.widthMm} mm · ${p.mode === 'text' ? `text WPC1258 (ESC t ${p.codePage})` : 'raster'}` },
    );
    const outcome = await deps.pool.send(target.transport, bytes, { printerId: p.id, test: true });
    ctx.logger.info({ printerId: p.id, printed: outcome.printed, ...(outcome.printed ? {} : { code: outcome.printerError }) }, 'printer test page');
    return outcome;
  });
}
