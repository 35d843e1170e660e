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
  if (n <= 0) return { vi: 'Quý công dân là người tiếp theo', en: 'You are next' };
  return { vi: `Còn ${n} người trước quý công dân`, en: n === 1 ? '1 person ahead of you' : `${n} people ahead of you` };
}

export function waitText(minutes: number | undefined): Bi | undefined {
  if (minutes === undefined) return undefined;
  if (minutes <= 0) return { vi: 'Sắp đến lượt', en: 'Almost your turn' };
  if (minutes < 60) return { vi: `Khoảng ${minutes} phút`, en: `About ${minutes} min` };
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? { vi: `Khoảng ${h} giờ`, en: `About ${h} h` } : { vi: `Khoảng ${h} giờ ${m} phút`, en: `About ${h} h ${m} min` };
}

export function calledText(counterNumber: number | undefined): Bi {
  return counterNumber === undefined
    ? { vi: 'Mời quý công dân đến quầy', en: 'Please go to the counter' }
    : { vi: `Mời quý công dân đến quầy số ${counterNumber}`, en: `Please go to counter ${counterNumber}` };
}

/**
 * The sentence for a ticket moved to another service. The page says it only when it saw the
 * service change itself (`prev`): after a reload it cannot know, and says nothing.
 */
export function transferredText(t: PublicTicket): Bi {
  return t.serviceName
    ? { vi: `Số thứ tự đã được chuyển sang lĩnh vực ${t.serviceName.vi}; quý công dân tiếp tục chờ theo số này.`, en: `Your number was moved to ${t.serviceName.en}; keep waiting with this number.` }
    : { vi: 'Số thứ tự đã được chuyển sang lĩnh vực khác; quý công dân tiếp tục chờ theo số này.', en: 'Your number was moved to another service; keep waiting with this number.' };
}

export function describeTicket(t: PublicTicket, prev?: PublicTicket): TicketView {
  const nowServing = t.nowServing;
  switch (t.status) {
    case 'waiting': {
      const wait = waitText(t.estimatedWaitMinutes);
      const moved = prev !== undefined && prev.id === t.id && prev.serviceId !== t.serviceId;
      return {
        tone: 'waiting',
        status: moved ? { vi: 'Đã chuyển lĩnh vực', en: 'Moved to another service' } : { vi: 'Đang chờ', en: 'Waiting' },
        headline: aheadText(t.ahead),
        ...(moved ? { detail: transferredText(t) } : {}),
        ...(wait ? { wait } : {}),
        ...(nowServing ? { nowServing } : {}),
        title: `${t.number} · ${t.ahead <= 0 ? 'Sắp đến lượt' : `Còn ${t.ahead} người`}`,
      };
    }
    case 'called':
      return {
        tone: 'called',
        status: { vi: 'Đến lượt', en: 'Your turn' },
        headline: calledText(t.counterNumber),
        title: `🔔 ${t.number} · ${t.counterNumber === undefined ? 'Mời đến quầy' : `Quầy ${t.counterNumber}`}`,
      };
    case 'done':
      return {
        tone: 'done',
        status: { vi: 'Đã phục vụ', en: 'Served' },
        // The queue knows the citizen was served at a counter, not what became of the dossier
        // (received, returned for completion, refused): the officer and the receipt say that.
        headline: { vi: 'Quý công dân đã được phục vụ tại quầy', en: 'You have been served at the counter' },
        detail: {
          vi: 'Kết quả giải quyết hồ sơ theo giấy tờ và hướng dẫn của cán bộ tại quầy. Cảm ơn quý công dân; có thể đóng trang này.',
          en: 'The outcome of your application is on the papers and in the guidance the officer gave you. Thank you; you can close this page.',
        },
        title: `${t.number} · Đã phục vụ`,
      };
    case 'no_show':
      return {
        tone: 'missed',
        status: { vi: 'Vắng mặt khi gọi', en: 'Absent when called' },
        headline: { vi: 'Đã gọi số nhưng quý công dân vắng mặt — vui lòng đến quầy', en: 'Your number was called while you were away — please go to a counter' },
        detail: {
          vi: 'Quý công dân vui lòng đến quầy và đưa phiếu này cho cán bộ để được hướng dẫn.',
          en: 'Please show this ticket to an officer at a counter for help.',
        },
        title: `${t.number} · Vắng mặt khi gọi`,
      };
    case 'cancelled':
      return {
        tone: 'cancelled',
        status: { vi: 'Đã hủy', en: 'Cancelled' },
        headline: { vi: 'Số thứ tự này đã bị hủy', en: 'This ticket was cancelled' },
        detail: {
          vi: 'Quý công dân vui lòng lấy số mới tại máy lấy số, hoặc hỏi cán bộ tại quầy.',
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
