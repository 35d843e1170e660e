import { describe, expect, it } from 'vitest';
import { asarUnpackedPath } from './asar-path.js';

describe('asarUnpackedPath', () => {
  it('points a path inside app.asar at the unpacked copy beside it (Linux and Windows installs)', () => {
    expect(asarUnpackedPath('/opt/Luot Kiosk/resources/app.asar/node_modules/@luot/ticket-printer/fonts', '/')).toBe(
      '/opt/Luot Kiosk/resources/app.asar.unpacked/node_modules/@luot/ticket-printer/fonts',
    );
    expect(asarUnpackedPath('C:\\Program Files\\Luot Kiosk\\resources\\app.asar\\node_modules\\@luot\\ticket-printer\\fonts', '\\')).toBe(
      'C:\\Program Files\\Luot Kiosk\\resources\\app.asar.unpacked\\node_modules\\@luot\\ticket-printer\\fonts',
    );
  });

  it('leaves a path outside an archive alone, including one already unpacked', () => {
    expect(asarUnpackedPath('/work/luot/packages/ticket-printer/fonts', '/')).toBe('/work/luot/packages/ticket-printer/fonts');
    expect(asarUnpackedPath('/opt/k/resources/app.asar.unpacked/fonts', '/')).toBe('/opt/k/resources/app.asar.unpacked/fonts');
    expect(asarUnpackedPath('/opt/k/my-app.asar/fonts', '/')).toBe('/opt/k/my-app.asar/fonts');
  });
});
