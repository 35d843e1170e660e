import QRCode from 'qrcode';
import { useMemo } from 'react';

/**
 * The ticket's QR as an SVG path, computed in the page (no network, no canvas): one rect per
 * dark module run would be heavy, so the path draws each dark module as a 1x1 square.
 */
export function qrPath(text: string): { size: number; d: string } {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  let d = '';
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (qr.modules.get(y, x)) d += `M${x} ${y}h1v1h-1z`;
    }
  }
  return { size, d };
}

export function Qr({ text, px }: { text: string; px: number }) {
  const { size, d } = useMemo(() => qrPath(text), [text]);
  const q = 4; // quiet zone, as the QR standard asks
  return (
    <svg className="qr" width={px} height={px} viewBox={`${-q} ${-q} ${size + 2 * q} ${size + 2 * q}`} shapeRendering="crispEdges" role="img" aria-label={text} data-qr={text}>
      <rect x={-q} y={-q} width={size + 2 * q} height={size + 2 * q} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
