#!/usr/bin/env node
// Time to turn one ticket into ESC/POS bytes, per mode and paper width. Runs the built package:
//   pnpm exec tsc -b packages/ticket-printer && node scripts/bench/printer.mjs
import { renderTicket } from '../../packages/ticket-printer/dist/index.js';

const ticket = {
  id: '01JQ7Z8K4S2M3N4P5Q6R7S8T9V',
  number: '1005',
  serviceName: { vi: 'Lĩnh vực Đất đai', en: 'Land administration' },
  issuedAt: Date.now(),
  ahead: 7,
  estimatedWaitMinutes: 25,
  priority: false,
  ticketUrl: 'http://192.168.1.10:8080/t/01JQ7Z8K4S2M3N4P5Q6R7S8T9V',
};
const centerName = 'Trung tâm Phục vụ hành chính công xã Tân Phú';
const cases = [
  ['raster 80 mm, QR raster', { centerName, widthMm: 80 }],
  ['raster 80 mm, QR native', { centerName, widthMm: 80, qr: 'native' }],
  ['raster 58 mm, QR raster', { centerName, widthMm: 58 }],
  ['text 80 mm, QR native', { centerName, widthMm: 80, mode: 'text', qr: 'native' }],
  ['text 58 mm, QR raster', { centerName, widthMm: 58, mode: 'text' }],
];
const runs = Number(process.argv[2] ?? 50);

console.log(`node ${process.version}, ${runs} runs each (after 5 warm-up runs)`);
console.log('| case | median ms | p95 ms | bytes |');
console.log('|---|---:|---:|---:|');
for (const [name, layout] of cases) {
  for (let i = 0; i < 5; i++) await renderTicket(ticket, layout);
  const times = [];
  let size = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    size = (await renderTicket(ticket, layout)).bytes.length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
  console.log(`| ${name} | ${at(0.5)} | ${at(0.95)} | ${size} |`);
}
