import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kioskPageUrl, loadKioskConfig, parseKioskConfig, parsePrinterUrl } from './config.js';
import { resolveConfigPath } from './config-path.js';

const TOKEN = 'kT0k3n_abcdefghijklmnopqrstuvwxyz012345';
const valid = { serverUrl: 'http://192.168.1.10:8080', deviceToken: TOKEN, printer: 'tcp://192.168.1.50:9100' };

describe('parseKioskConfig', () => {
  it('accepts the minimal file the installer writes and fills defaults', () => {
    const r = parseKioskConfig(JSON.stringify(valid));
    expect(r).toEqual({
      ok: true,
      config: {
        serverUrl: 'http://192.168.1.10:8080',
        deviceToken: TOKEN,
        kioskName: 'Kiosk',
        adminPinHash: null,
        printer: { target: { kind: 'tcp', host: '192.168.1.50', port: 9100 }, url: 'tcp://192.168.1.50:9100', widthMm: 80, centerName: 'Trung tâm Phục vụ hành chính công', mode: 'raster', qr: 'raster' },
      },
    });
  });

  it('normalises a trailing slash and refuses paths, other schemes and junk', () => {
    const ok = parseKioskConfig(JSON.stringify({ ...valid, serverUrl: 'http://server:8080/' }));
    expect(ok.ok && ok.config.serverUrl).toBe('http://server:8080');
    // "auto": found by LAN discovery at start (server-url.ts).
    const auto = parseKioskConfig(JSON.stringify({ ...valid, serverUrl: 'auto' }));
    expect(auto.ok && auto.config.serverUrl).toBe('auto');
    for (const serverUrl of ['http://server:8080/kiosk', 'file:///etc/passwd', 'server:8080', 'javascript:alert(1)']) {
      const r = parseKioskConfig(JSON.stringify({ ...valid, serverUrl }));
      expect(r.ok, serverUrl).toBe(false);
    }
  });

  it('reports every problem at once, in words a technician can act on', () => {
    const r = parseKioskConfig(JSON.stringify({ serverUrl: 'http://s', deviceToken: 'short', printer: { url: 'lpt1', widthMm: 72 }, colour: 'red' }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual(
      expect.arrayContaining([
        'unknown key colour',
        expect.stringContaining('deviceToken looks wrong'),
        expect.stringContaining('printer.url'),
        'printer.widthMm must be 58 or 80',
      ]),
    );
  });

  it('refuses non-JSON, non-objects and huge files', () => {
    expect(parseKioskConfig('{').ok).toBe(false);
    expect(parseKioskConfig('[]').ok).toBe(false);
    expect(parseKioskConfig(' '.repeat(70_000)).ok).toBe(false);
  });

  it('accepts only a PIN hash, never a PIN', () => {
    expect(parseKioskConfig(JSON.stringify({ ...valid, adminPinHash: '1234' })).ok).toBe(false);
  });
});

describe('parsePrinterUrl', () => {
  it('reads every supported printer', () => {
    expect(parsePrinterUrl('tcp://10.0.0.5')).toEqual({ kind: 'tcp', host: '10.0.0.5', port: 9100 });
    expect(parsePrinterUrl('device:/dev/usb/lp0')).toEqual({ kind: 'device', path: '/dev/usb/lp0' });
    expect(parsePrinterUrl('usb://04b8:0202')).toEqual({ kind: 'usb', vendorId: 0x04b8, productId: 0x0202 });
    expect(parsePrinterUrl('none')).toEqual({ kind: 'none' });
    expect(typeof parsePrinterUrl('usb://epson')).toBe('string');
    expect(typeof parsePrinterUrl('http://printer')).toBe('string');
  });
});

describe('loading the file', () => {
  it('reads a file from disk and says plainly when it is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-config-'));
    const path = join(dir, 'kiosk.json');
    expect(await loadKioskConfig(path)).toEqual({ ok: false, errors: [`no config file at ${path}`] });
    writeFileSync(path, JSON.stringify(valid));
    const r = await loadKioskConfig(path);
    expect(r.ok).toBe(true);
    if (r.ok) expect(kioskPageUrl(r.config)).toBe(`http://192.168.1.10:8080/kiosk#token=${TOKEN}`);
  });

  it('finds the file from the flag, then the environment, then userData', () => {
    expect(resolveConfigPath(['electron', '--config=/etc/luot/kiosk.json'], { LUOT_KIOSK_CONFIG: '/x' }, '/home/k')).toBe('/etc/luot/kiosk.json');
    expect(resolveConfigPath([], { LUOT_KIOSK_CONFIG: '/x.json' }, '/home/k')).toBe('/x.json');
    expect(resolveConfigPath([], {}, '/home/k')).toBe(join('/home/k', 'kiosk.json'));
  });
});
