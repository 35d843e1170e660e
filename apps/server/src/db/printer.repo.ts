import type { Db } from './open.js';

/** A network ticket printer from the admin's list (migration 0009). */
export interface PrinterRow {
  id: number;
  name: string;
  host: string;
  port: number;
  widthMm: 58 | 80;
  mode: 'raster' | 'text';
  codePage: number;
  createdAt: number;
  updatedAt: number;
  /** The kiosk devices it prints for, by id. */
  kioskIds: number[];
}

export type PrinterFields = Omit<PrinterRow, 'id' | 'createdAt' | 'updatedAt' | 'kioskIds'>;

interface RawPrinter {
  id: number;
  name: string;
  host: string;
  port: number;
  width_mm: 58 | 80;
  mode: 'raster' | 'text';
  code_page: number;
  created_at: number;
  updated_at: number;
  kiosk_ids: string;
}

const toRow = (r: RawPrinter): PrinterRow => ({
  id: r.id,
  name: r.name,
  host: r.host,
  port: r.port,
  widthMm: r.width_mm,
  mode: r.mode,
  codePage: r.code_page,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  kioskIds: JSON.parse(r.kiosk_ids) as number[],
});

const SELECT = `SELECT p.*,
  (SELECT json_group_array(device_id) FROM (SELECT device_id FROM kiosk_printers k WHERE k.printer_id = p.id ORDER BY device_id)) AS kiosk_ids
  FROM printers p`;

export function createPrinterRepo(db: Db) {
  const all = db.prepare<[], RawPrinter>(`${SELECT} ORDER BY p.name, p.id`);
  const byId = db.prepare<[number], RawPrinter>(`${SELECT} WHERE p.id = ?`);
  const byKiosk = db.prepare<[number], RawPrinter>(`${SELECT} JOIN kiosk_printers kp ON kp.printer_id = p.id WHERE kp.device_id = ?`);
  const insert = db.prepare('INSERT INTO printers (name, host, port, width_mm, mode, code_page, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const update = db.prepare('UPDATE printers SET name = ?, host = ?, port = ?, width_mm = ?, mode = ?, code_page = ?, updated_at = ? WHERE id = ?');
  const remove = db.prepare('DELETE FROM printers WHERE id = ?');
  const unassignPrinter = db.prepare('DELETE FROM kiosk_printers WHERE printer_id = ?');
  const assign = db.prepare('INSERT INTO kiosk_printers (device_id, printer_id) VALUES (?, ?) ON CONFLICT (device_id) DO UPDATE SET printer_id = excluded.printer_id');
  const currentOf = db.prepare<[number], { printer_id: number }>('SELECT printer_id FROM kiosk_printers WHERE device_id = ?');

  return {
    list: (): PrinterRow[] => all.all().map(toRow),
    get: (id: number): PrinterRow | undefined => {
      const r = byId.get(id);
      return r ? toRow(r) : undefined;
    },
    /** The printer assigned to a kiosk device, if any. */
    forKiosk: (deviceId: number): PrinterRow | undefined => {
      const r = byKiosk.get(deviceId);
      return r ? toRow(r) : undefined;
    },
    create: (f: PrinterFields, now: number): number => Number(insert.run(f.name, f.host, f.port, f.widthMm, f.mode, f.codePage, now, now).lastInsertRowid),
    update: (id: number, f: PrinterFields, now: number): boolean => update.run(f.name, f.host, f.port, f.widthMm, f.mode, f.codePage, now, id).changes === 1,
    /** Frees its kiosks too (ON DELETE CASCADE). */
    delete: (id: number): boolean => remove.run(id).changes === 1,
    /**
     * Makes `kioskIds` exactly the kiosks this printer serves. A kiosk assigned to another
     * printer moves here (a kiosk has one printer); returns the kiosks moved, with their old
     * printer, for the audit log. Call inside the caller's transaction.
     */
    setKiosks: (printerId: number, kioskIds: readonly number[]): { deviceId: number; fromPrinterId: number }[] => {
      const moved: { deviceId: number; fromPrinterId: number }[] = [];
      unassignPrinter.run(printerId);
      for (const deviceId of kioskIds) {
        const cur = currentOf.get(deviceId);
        if (cur && cur.printer_id !== printerId) moved.push({ deviceId, fromPrinterId: cur.printer_id });
        assign.run(deviceId, printerId);
      }
      return moved;
    },
  };
}
export type PrinterRepo = ReturnType<typeof createPrinterRepo>;
