import type { CenterNow } from '../figures.js';

/**
 * How current a center's picture is, for the "centers now" table: when the province last heard
 * from it (by the province's clock) and whether its shipper is still catching up (events the
 * center holds that the province does not). Pure.
 *
 * - never:   registered, no batch received yet;
 * - revoked: its key was revoked (its figures stay);
 * - lost:    nothing received for LOST_AFTER_S (a link down, a center switched off);
 * - stale:   nothing received for STALE_AFTER_S;
 * - behind:  heard recently, but more than BEHIND_EVENTS events are still to come (a center
 *            sending back a day offline);
 * - ok.
 * A center that ships only when something happens looks "stale" at night: the page says since
 * when, and the director reads it against opening hours.
 */
export const STALE_AFTER_S = 10 * 60;
export const LOST_AFTER_S = 2 * 3600;
export const BEHIND_EVENTS = 0;

export type Freshness = 'ok' | 'behind' | 'stale' | 'lost' | 'never' | 'revoked';

export function freshnessOf(c: Pick<CenterNow, 'heard' | 'revoked' | 'lastHeardSecondsAgo' | 'behindEvents'>): Freshness {
  if (c.revoked) return 'revoked';
  if (!c.heard || c.lastHeardSecondsAgo === null) return 'never';
  if (c.lastHeardSecondsAgo > LOST_AFTER_S) return 'lost';
  if (c.lastHeardSecondsAgo > STALE_AFTER_S) return 'stale';
  if ((c.behindEvents ?? 0) > BEHIND_EVENTS) return 'behind';
  return 'ok';
}

export const FRESHNESS_TEXT: Record<Freshness, { vi: string; en: string }> = {
  ok: { vi: 'Cập nhật', en: 'Up to date' },
  behind: { vi: 'Đang gửi bù', en: 'Catching up' },
  stale: { vi: 'Chậm cập nhật', en: 'Not heard recently' },
  lost: { vi: 'Mất liên lạc', en: 'Link lost' },
  never: { vi: 'Chưa có dữ liệu', en: 'Never heard from' },
  revoked: { vi: 'Đã thu hồi khóa', en: 'Key revoked' },
};
