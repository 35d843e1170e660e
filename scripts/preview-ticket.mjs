#!/usr/bin/env node
// Renders a sample ticket to PNG, one pixel per printer dot, so a person can check the layout
// and every Vietnamese diacritic without a printer. Runs the built package:
//   pnpm exec tsc -b packages/ticket-printer && node scripts/preview-ticket.mjs [58|80] [out.png]
// With no arguments it writes docs/ticket-80mm.png and docs/ticket-58mm.png.
import { writeFileSync } from 'node:fs';
import { renderTicketPng, ticketStatusUrl } from '../packages/ticket-printer/dist/index.js';

const ticket = {
  id: '01JQ7Z8K4S2M3N4P5Q6R7S8T9V',
  number: '1005',
  serviceName: { vi: 'Lĩnh vực Đất đai', en: 'Land administration' },
  issuedAt: '2025-03-12T01:15:00Z',
  ahead: 7,
  estimatedWaitMinutes: 25,
  priority: false,
  ticketUrl: ticketStatusUrl('http://192.168.1.10:8080', '01JQ7Z8K4S2M3N4P5Q6R7S8T9V'),
};
const layout = {
  centerName: 'Trung tâm Phục vụ hành chính công xã Tân Phú',
  footer: 'Giờ làm việc: 7:30 - 11:30, 13:30 - 17:00. Đường dây nóng: 0274 3822 111',
};

const [width, out] = process.argv.slice(2);
const widths = width ? [Number(width)] : [80, 58];
for (const widthMm of widths) {
  const file = out ?? `docs/ticket-${widthMm}mm.png`;
  writeFileSync(file, await renderTicketPng(ticket, { ...layout, widthMm }));
  console.log(`wrote ${file}`);
}
