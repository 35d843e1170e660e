import QRCode from 'qrcode';
import { createMonoBitmap, setDot, type MonoBitmap } from './mono-bitmap.js';

/**
 * The QR code as a bitmap the full paper width, code centred, with the 4-module quiet zone the
 * standard asks for. Error level M survives a crease or a smudge of thermal paper.
 */
export function qrBitmap(url: string, paperWidthDots: number, moduleDots: number): MonoBitmap {
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 4 * moduleDots;
  const side = n * moduleDots;
  const out = createMonoBitmap(paperWidthDots, Math.ceil((side + 2 * quiet) / 8) * 8);
  const left = Math.floor((paperWidthDots - side) / 2);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!qr.modules.get(r, c)) continue;
      for (let dy = 0; dy < moduleDots; dy++) {
        for (let dx = 0; dx < moduleDots; dx++) setDot(out, left + c * moduleDots + dx, quiet + r * moduleDots + dy);
      }
    }
  }
  return out;
}
