import type { PublicTicket } from '@luot/protocol';

/**
 * The words of the citizen's ticket page, Vietnamese first and English second. Pure: no DOM, no
 * socket, so every sentence is unit-tested. Imports types only (no zod reaches the phone).
 */
export interface Bi {
  vi: string;
  en: string;
}

export type Tone = 'waiting' | 'called' | 'done' | 'missed' | 'cancelled';

export interface TicketView {
  tone: Tone;
  status: Bi;
  /** The big sentence: how many are ahead, or where to go, or what happened. */
  headline: Bi;
  /** A plain explanation for the finished states. */
  detail?: Bi;
  wait?: Bi;
  nowServing?: string;
  /** The tab title: what a citizen sees when the browser is in the background. */
  title: string;
}

const TICKET_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** The ticket id from `/t/<id>` (trailing slash allowed), or null when it cannot be one. */
export function ticketIdFromPath(pathname: string): string | null {
  const m = /^\/t\/([^/]*)\/?$/.exec(pathname);
  if (!m?.[1]) return null;
  let id: string;
  try {
    id = decodeURIComponent(m[1]);
  } catch {
    return null;
  }
  return TICKET_ID.test(id) ? id : null;
}

export function aheadText(n: number): Bi {
  if (n <= 0) return { vi: 'Bạn là người tiếp theo', en: 'You are next' };
  return { vi: `Còn ${n} người trước bạn`, en: n === 1 ? '1 person ahead of you' : `${n} people ahead of you` };
}

export function waitText(minutes: number | undefined): Bi | undefined {
  if (minutes === undefined) return undefined;
  if (minutes <= 0) return { vi: 'Sắp đến lượt bạn', en: 'Almost your turn' };
  if (minutes < 60) return { vi: `Khoảng ${minutes} phút`, en: `About ${minutes} min` };
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? { vi: `Khoảng ${h} giờ`, en: `About ${h} h` } : { vi: `Khoảng ${h} giờ ${m} phút`, en: `About ${h} h ${m} min` };
}

export function calledText(counterNumber: number | undefined): Bi {
  return counterNumber === undefined
    ? { vi: 'Mời bạn đến quầy', en: 'Please go to the counter' }
    : { vi: `Mời bạn đến quầy số ${counterNumber}`, en: `Please go to counter ${counterNumber}` };
}

export function describeTicket(t: PublicTicket): TicketView {
  const nowServing = t.nowServing;
  switch (t.status) {
    case 'waiting': {
      const wait = waitText(t.estimatedWaitMinutes);
      return {
        tone: 'waiting',
        status: { vi: 'Đang chờ', en: 'Waiting' },
        headline: aheadText(t.ahead),
        ...(wait ? { wait } : {}),
        ...(nowServing ? { nowServing } : {}),
        title: `${t.number} · ${t.ahead <= 0 ? 'Sắp đến lượt' : `Còn ${t.ahead} người`}`,
      };
    }
    case 'called':
      return {
        tone: 'called',
        status: { vi: 'Đến lượt bạn', en: 'Your turn' },
        headline: calledText(t.counterNumber),
        title: `🔔 ${t.number} · ${t.counterNumber === undefined ? 'Mời đến quầy' : `Quầy ${t.counterNumber}`}`,
      };
    case 'done':
      return {
        tone: 'done',
        status: { vi: 'Đã xong', en: 'Done' },
        headline: { vi: 'Hồ sơ của bạn đã được tiếp nhận', en: 'You have been served' },
        detail: { vi: 'Cảm ơn bạn đã sử dụng dịch vụ. Bạn có thể đóng trang này.', en: 'Thank you. You can close this page.' },
        title: `${t.number} · Đã xong`,
      };
    case 'no_show':
      return {
        tone: 'missed',
        status: { vi: 'Gọi nhỡ', en: 'Missed' },
        headline: { vi: 'Bạn đã bị gọi nhỡ — vui lòng liên hệ quầy', en: 'You missed your call — please go to a counter' },
        detail: {
          vi: 'Số của bạn đã được gọi nhưng bạn chưa có mặt. Hãy đến quầy và đưa phiếu này để được gọi lại.',
          en: 'Your number was called while you were away. Show this ticket at a counter to be called again.',
        },
        title: `${t.number} · Gọi nhỡ`,
      };
    case 'cancelled':
      return {
        tone: 'cancelled',
        status: { vi: 'Đã hủy', en: 'Cancelled' },
        headline: { vi: 'Số này đã bị hủy', en: 'This ticket was cancelled' },
        detail: {
          vi: 'Vui lòng lấy số mới tại máy lấy số, hoặc hỏi cán bộ tại quầy.',
          en: 'Please take a new ticket at the kiosk, or ask at a counter.',
        },
        title: `${t.number} · Đã hủy`,
      };
  }
}

/**
 * Whether this change should buzz and beep: on becoming called, being called to another
 * counter, or being recalled (the call count grows). Not on every later update while called
 * (others in the service move on).
 */
export function shouldAlert(prev: PublicTicket | undefined, next: PublicTicket): boolean {
  if (next.status !== 'called') return false;
  return prev?.status !== 'called' || prev.counterNumber !== next.counterNumber || (next.calls ?? 0) > (prev.calls ?? 0);
}
