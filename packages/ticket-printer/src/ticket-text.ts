import type { ResolvedLayout, TicketInput } from './ticket.js';

/**
 * The words on a ticket, shared by the raster and the text layout so that both print the same
 * thing. Vietnamese first; one short English line for visitors.
 */
export interface TicketText {
  centerName: string;
  serviceVi: string;
  serviceEn: string;
  numberLabel: string;
  number: string;
  /** Null for a normal ticket. */
  priority: string | null;
  issuedAt: string;
  ahead: string;
  /** Null when there is no estimate. */
  wait: string | null;
  english: string;
  qrCaption: string;
  footer: string | null;
}

export function ticketText(ticket: TicketInput, layout: ResolvedLayout): TicketText {
  return {
    centerName: nfc(layout.centerName),
    serviceVi: nfc(ticket.serviceName.vi),
    serviceEn: nfc(ticket.serviceName.en),
    numberLabel: 'Số thứ tự của quý công dân',
    number: nfc(ticket.number),
    priority: ticket.priority ? 'ƯU TIÊN - Priority' : null,
    issuedAt: formatIssuedAt(ticket.issuedAt, layout.timeZone),
    ahead: aheadVi(ticket.ahead),
    wait: ticket.estimatedWaitMinutes === null ? null : `Thời gian chờ dự kiến: ${durationVi(ticket.estimatedWaitMinutes)}`,
    english: englishLine(ticket),
    qrCaption: 'Quét mã để theo dõi lượt / Scan to follow your turn',
    footer: layout.footer ? nfc(layout.footer) : null,
  };
}

/**
 * Text from a database or a form may arrive decomposed (base letter + combining marks); the
 * font and the code page both want the composed form.
 */
function nfc(s: string): string {
  return s.normalize('NFC');
}

function aheadVi(ahead: number): string {
  return ahead <= 0 ? 'Không có ai đang chờ trước' : `${ahead} người đang chờ trước`;
}

function durationVi(minutes: number): string {
  if (minutes <= 0) return 'sắp đến lượt';
  if (minutes < 60) return `khoảng ${minutes} phút`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `khoảng ${h} giờ` : `khoảng ${h} giờ ${m} phút`;
}

function englishLine(ticket: TicketInput): string {
  const ahead = ticket.ahead <= 0 ? 'nobody ahead' : ticket.ahead === 1 ? '1 person ahead' : `${ticket.ahead} people ahead`;
  const m = ticket.estimatedWaitMinutes;
  const wait = m === null ? '' : m <= 0 ? ', your turn is next' : `, about ${m} min`;
  return `Your number ${ticket.number}: ${ahead}${wait}.`;
}

/** "dd/MM/yyyy HH:mm" in the center's time zone, the way Vietnamese write dates. */
export function formatIssuedAt(issuedAt: number | string, timeZone: string): string {
  const date = new Date(issuedAt);
  if (Number.isNaN(date.getTime())) throw new RangeError(`issuedAt is not a date: ${String(issuedAt)}`);
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('day')}/${get('month')}/${get('year')} ${get('hour')}:${get('minute')}`;
}
