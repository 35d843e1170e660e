import { PrinterCreateBody, PrinterPatchBody, ROUTES, parsePrinterAddress } from '@luot/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { route } from '../http/route.js';
import { parseInput } from '../validate.js';
import { PrinterInputError } from './printer-input-error.js';
import type { PrinterList } from './printer-list.js';

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

/**
 * The admin's printer list under /api/v1/admin/printers (docs/printing.md), over printer-list.ts:
 * list, add, change, delete, and a test page printed on one of them.
 */
export function printerAdminRoutes(app: FastifyInstance, printers: PrinterList, baseUrl: (req: FastifyRequest) => string) {
  route(app, ROUTES.printers, () => printers.list());

  // The printer forms parse with parsePrinterBody: a refusal names the wrong field in both languages.
  route(app, ROUTES.createPrinter, ({ actor, body }) => printers.create(actor, body), { parseBody: (raw) => parsePrinterBody(PrinterCreateBody, raw) });
  route(app, ROUTES.updatePrinter, ({ actor, params: { id }, body }) => printers.update(actor, id, body), { parseBody: (raw) => parsePrinterBody(PrinterPatchBody, raw) });
  route(app, ROUTES.deletePrinter, ({ actor, params: { id } }) => printers.remove(actor, id));

  route(app, ROUTES.testPrinter, ({ actor, params: { id }, req }) => printers.testPage(actor, id, baseUrl(req)));
}
