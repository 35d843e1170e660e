import { describe, expect, it } from 'vitest';
import { configFromEnv } from './config.js';

describe('configFromEnv: LUOT_KIOSK_PRINTER', () => {
  it('is no printer when unset or empty', () => {
    for (const v of [undefined, '', '  ']) {
      const { kioskPrinters } = configFromEnv({ LUOT_KIOSK_PRINTER: v });
      expect(kioskPrinters.fallback).toBeNull();
      expect(kioskPrinters.byDevice.size).toBe(0);
    }
  });

  it('reads one printer for every kiosk, or a table by device id with * as the fallback', () => {
    expect(configFromEnv({ LUOT_KIOSK_PRINTER: 'tcp://192.168.1.50:9100' }).kioskPrinters.fallback).toEqual({ kind: 'tcp', host: '192.168.1.50', port: 9100 });
    const table = configFromEnv({ LUOT_KIOSK_PRINTER: '3=tcp://192.168.1.50:9100,*=tcp://192.168.1.52' }).kioskPrinters;
    expect(table.byDevice.get(3)).toEqual({ kind: 'tcp', host: '192.168.1.50', port: 9100 });
    expect(table.fallback).toEqual({ kind: 'tcp', host: '192.168.1.52', port: 9100 });
  });

  it('refuses a wrong value at start-up, naming the setting', () => {
    expect(() => configFromEnv({ LUOT_KIOSK_PRINTER: 'http://printer' })).toThrow(/^LUOT_KIOSK_PRINTER: not a printer URL: http:\/\/printer/);
    expect(() => configFromEnv({ LUOT_KIOSK_PRINTER: 'x=tcp://10.0.0.1' })).toThrow(/^LUOT_KIOSK_PRINTER: "x" is not a device id or \*/);
  });
});
