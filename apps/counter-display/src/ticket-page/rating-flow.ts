import type { PhoneRatingState, RatingForm, RatingRecorded } from '@luot/protocol';
import type { Bi } from './format.js';

/**
 * The phone page's rating, as pure steps (no DOM, no fetch), so each is unit-tested. Types only
 * from the protocol: no zod reaches the phone. The form (levels, reasons and their words) comes
 * from the server, the same as the tablet at the counter shows.
 *
 * - none: nothing to offer (not served, the window closed, or an old server without ratings);
 * - ask: the levels of the center's scale, one tap;
 * - reason: after Không hài lòng or below, the reasons, one tap (or skip);
 * - thanks: the answer is in (from this phone or the tablet).
 */
export type RatingStep = { kind: 'none' } | { kind: 'ask'; form: RatingForm } | { kind: 'reason'; form: RatingForm } | { kind: 'thanks' };

export function stepFor(state: PhoneRatingState | null): RatingStep {
  if (!state) return { kind: 'none' };
  if (state.state === 'open' && state.form) return { kind: 'ask', form: state.form };
  if (state.state === 'rated') return { kind: 'thanks' };
  return { kind: 'none' };
}

export function stepAfterAnswer(r: RatingRecorded, form: RatingForm): RatingStep {
  return r.asksReason ? { kind: 'reason', form } : { kind: 'thanks' };
}

/** The question is about the service at the counter, not about the dossier's outcome. */
export const ASK: Bi = { vi: 'Quý công dân có hài lòng với sự phục vụ tại quầy không?', en: 'How satisfied are you with the service at the counter?' };
export const ASK_NOTE: Bi = { vi: 'Chạm một lần. Mỗi số chỉ đánh giá một lần.', en: 'One tap. Each ticket is rated once.' };
export const REASON: Bi = { vi: 'Xin quý công dân cho biết lý do chưa hài lòng', en: 'What was the problem?' };
export const SKIP: Bi = { vi: 'Bỏ qua', en: 'Skip' };
export const THANKS: Bi = { vi: 'Cảm ơn quý công dân đã đánh giá!', en: 'Thank you for your rating!' };
