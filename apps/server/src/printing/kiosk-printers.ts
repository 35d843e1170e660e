import type { TransportConfig } from '@luot/ticket-printer';

/**
 * Which network printer prints for which kiosk when the kiosk is a plain browser (no Electron).
 * `LUOT_KIOSK_PRINTER` holds either one printer for every kiosk:
 *     LUOT_KIOSK_PRINTER=tcp://192.168.1.50:9100
 * or a list by kiosk device id, with `*` as the fallback:
 *     LUOT_KIOSK_PRINTER=3=tcp://192.168.1.50:9100,4=tcp://192.168.1.51,*=device:/dev/usb/lp0
 * A first version: the admin pages could later store this per device in the database.
 */
export type KioskPrinterTable = { byDevice: Map<number, TransportConfig>; fallback: TransportConfig | null };

export function parsePrinterTarget(url: string): TransportConfig {
  if (url.startsWith('device:')) {
    const path = url.slice('device:'.length);
    if (!path) throw new Error('device: needs a path, e.g. device:/dev/usb/lp0');
    return { kind: 'device', path, readable: !path.startsWith('\\\\') };
  }
  const m = /^tcp:\/\/([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?\/?$/.exec(url);
  if (!m) throw new Error(`not a printer URL: ${url} (use tcp://host:9100 or device:/dev/usb/lp0)`);
  const port = m[2] ? Number(m[2]) : 9100;
  if (port < 1 || port > 65535) throw new Error(`bad port in ${url}`);
  return { kind: 'tcp', host: (m[1] as string).replace(/^\[|\]$/g, ''), port };
}

export function parseKioskPrinters(value: string | undefined): KioskPrinterTable {
  const table: KioskPrinterTable = { byDevice: new Map(), fallback: null };
  const v = value?.trim();
  if (!v) return table;
  if (!v.includes('=')) {
    table.fallback = parsePrinterTarget(v);
    return table;
  }
  for (const part of v.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const target = parsePrinterTarget(part.slice(eq + 1).trim());
    if (key === '*') table.fallback = target;
    else if (/^\d+$/.test(key)) table.byDevice.set(Number(key), target);
    else throw new Error(`LUOT_KIOSK_PRINTER: "${key}" is not a device id or *`);
  }
  return table;
}

export function printerFor(table: KioskPrinterTable, deviceId: number | null): TransportConfig | null {
  return (deviceId !== null ? table.byDevice.get(deviceId) : undefined) ?? table.fallback;
}

/** Whether the table names any printer at all (the demo keeps unprinted tickets without one). */
export function hasKioskPrinter(table: KioskPrinterTable): boolean {
  return table.fallback !== null || table.byDevice.size > 0;
}
