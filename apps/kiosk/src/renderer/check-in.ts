import { CCCD_REFUSAL_MESSAGES, cccdGreeting, isPriorityByAge, parseCccdQr, toCccdCheckIn, type CccdCheckIn, type CccdRefusal } from '@luot/domain';
import type { CenterInfo } from '@luot/protocol';
import type { ScanResult } from './scanner-input.js';

/**
 * What the kiosk makes of one scan (issue 16, docs/adr/0008-cccd-check-in.md): the kiosk parses
 * only to greet the citizen and to say at once what is wrong with a bad scan; what it sends is
 * the four fields of `toCccdCheckIn`, and the server checks them again and decides priority. No
 * React and no DOM here, so every case is a plain function call.
 *
 * Nothing here logs: the scan, the name and the number never reach a console or a log file.
 */
export type Bilingual = { vi: string; en: string };

/** A citizen who scanned their card, until they tap a service or the kiosk goes back home. */
export interface CheckedInCitizen {
  /** What goes to the server with the ticket request. */
  checkIn: CccdCheckIn;
  /** "Xin chào Ông Nguyễn Văn Thọ", shown on this kiosk's screen only. */
  greeting: Bilingual;
  /** The kiosk's own reading of the age rule, to say "priority number" before the tap; the server's decision is the one printed. */
  priorityByAge: boolean;
}

export type ScanOutcome = { kind: 'citizen'; citizen: CheckedInCitizen } | { kind: 'message'; reason: CccdRefusal | 'off' | 'busy'; message: Bilingual };

export const CHECK_IN_TEXT = {
  /** The feature is off at this center: the scan is used for nothing. */
  off: {
    vi: 'Máy này chưa dùng thẻ căn cước. Vui lòng chạm vào lĩnh vực cần giải quyết để lấy số.',
    en: 'ID cards are not used at this kiosk. Please tap the service you need to take a number.',
  },
  /** A scan while a number is being printed: that number is not changed, the scan is not used. */
  busy: {
    vi: 'Thẻ vừa quét chưa được dùng vì máy đang in số. Vui lòng chạm Xong rồi quét lại.',
    en: 'The card you just scanned was not used: a number was being printed. Tap Done and scan again.',
  },
  /** The server refused the card's data though the kiosk read it (a rule checked on the server's own day). */
  refusedByServer: {
    vi: 'Không dùng được thông tin trên thẻ. Vui lòng chạm vào lĩnh vực cần giải quyết để lấy số.',
    en: 'The card could not be used. Please tap the service you need to take a number.',
  },
} as const satisfies Record<string, Bilingual>;

/**
 * One scan (or partial scan) on a kiosk whose center says whether check-in is on. `today` is the
 * center's business day (yyyy-mm-dd, from the server's snapshot, not the kiosk PC's clock).
 */
export function readScan(result: ScanResult, center: CenterInfo | undefined, today: string): ScanOutcome {
  if (!center?.checkIn?.enabled) return { kind: 'message', reason: 'off', message: CHECK_IN_TEXT.off };
  if (result.kind === 'partial') return { kind: 'message', reason: 'partial', message: CCCD_REFUSAL_MESSAGES.partial };
  const parsed = parseCccdQr(result.text, today);
  if (!parsed.ok) return { kind: 'message', reason: parsed.reason, message: CCCD_REFUSAL_MESSAGES[parsed.reason] };
  const { card } = parsed;
  return {
    kind: 'citizen',
    citizen: {
      checkIn: toCccdCheckIn(card),
      greeting: cccdGreeting(card),
      priorityByAge: isPriorityByAge(card, today, center.checkIn.priorityAge),
    },
  };
}

/** What the citizen reads when the server refused the check-in part of a ticket request. */
export function serverRefusalText(reason: string): Bilingual {
  if (reason === 'check_in_off') return CHECK_IN_TEXT.off;
  return reason in CCCD_REFUSAL_MESSAGES ? CCCD_REFUSAL_MESSAGES[reason as CccdRefusal] : CHECK_IN_TEXT.refusedByServer;
}

/**
 * The short notice on the home screen (docs/privacy.md, "The notice on the kiosk"), at most two
 * lines a language, with the center's own figures.
 */
export function privacyNotice(c: { nameDays: number; visitorDays: number }): Bilingual[] {
  const nameKept =
    c.nameDays === 0
      ? { vi: 'chỉ lưu đến hết ngày', en: 'are kept until the end of the day' }
      : { vi: `chỉ lưu ${c.nameDays} ngày sau ngày đến`, en: `are kept for ${c.nameDays} day${c.nameDays === 1 ? '' : 's'} after the visit` };
  return [
    {
      vi: 'Không bắt buộc: quét thẻ căn cước để được ưu tiên theo tuổi và để cán bộ gọi đúng tên.',
      en: 'Optional: scan your ID card for priority by age and so the officer can greet you by name.',
    },
    {
      vi: `Họ tên, năm sinh ${nameKept.vi}; số thẻ chỉ lưu dạng mã không đọc ngược được, ${c.visitorDays} ngày.`,
      en: `Name and year of birth ${nameKept.en}; the card number only as an irreversible code, for ${c.visitorDays} days.`,
    },
  ];
}
