import { businessDayOf, toIsoWithOffset } from '@luot/domain';
import {
  isDissatisfied,
  isSatisfied,
  ratingForm,
  ratingLevelOf,
  ratingScoreOf,
  type DissatisfiedRating,
  type PhoneRatingState,
  type RatingForm,
  type RatingLevel,
  type RatingReason,
  type RatingRecorded,
  type RatingScale,
  type RatingSource,
  type TicketDossier,
} from '@luot/protocol';
import type { Alerts } from '../alerts.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/open.js';
import type { DissatisfiedRow, RatingRow } from '../db/rating.repo.js';
import type { Repos } from '../db/repos.js';
import type { TicketRow } from '../db/ticket.repo.js';
import { AppError } from '../errors.js';
import type { Actor } from './actor.js';

/** The tablet at the counter asks right after the service: a rating comes within 15 minutes or not at all. */
export const TABLET_WINDOW_MS = 15 * 60_000;
/** The phone page stays open after the service (the citizen may rate on the way out, or later that morning). */
export const PHONE_WINDOW_MS = 2 * 60 * 60_000;
/** The reason is the next tap after the answer: accepted for a few minutes after it, once. */
export const REASON_WINDOW_MS = 10 * 60_000;

/** The staff alert (device:alert) for dissatisfied answers not yet seen: one, kept up to date. */
export const RATING_ALERT = { deviceId: 0, deviceName: 'Đánh giá của công dân / Citizen ratings', code: 'rating_dissatisfied' } as const;

/**
 * A rating refused for a reason the citizen or officer should read in their words. The code stays
 * the catalogue's INVALID_TRANSITION (409) so clients need nothing new; the Vietnamese message is
 * this refusal's own rather than the catalogue's general one.
 */
export class RatingRefused extends AppError {
  constructor(
    readonly why: 'not_served' | 'too_late' | 'already_rated' | 'not_rated' | 'no_reason_asked' | 'reason_given' | 'other_source',
    private readonly vi: string,
    en: string,
  ) {
    super('INVALID_TRANSITION', en);
  }
  override toBody() {
    return { ...super.toBody(), messageVi: this.vi };
  }
}

const REFUSALS = {
  not_served: ['Chỉ đánh giá được số đã được phục vụ xong.', 'Only a served ticket can be rated.'],
  too_late: ['Đã hết thời gian đánh giá cho số này.', 'Too late to rate this ticket.'],
  already_rated: ['Số này đã được đánh giá. Mỗi số chỉ đánh giá một lần.', 'This ticket was already rated (once per ticket).'],
  not_rated: ['Số này chưa được đánh giá.', 'This ticket has not been rated.'],
  no_reason_asked: ['Chỉ hỏi lý do khi quý công dân không hài lòng.', 'A reason is asked only after a dissatisfied answer.'],
  reason_given: ['Lý do của đánh giá này đã được ghi.', 'The reason for this rating was already given.'],
  other_source: ['Lý do được ghi trên thiết bị đã nhận đánh giá.', 'The reason is given on the device that took the rating.'],
} as const;
const refuse = (why: keyof typeof REFUSALS) => new RatingRefused(why, REFUSALS[why][0], REFUSALS[why][1]);

export interface RatingsDeps {
  db: Db;
  repos: Repos;
  clock: Clock;
  alerts: Alerts;
}

/**
 * Citizen ratings (Decision 766/QĐ-TTg: "tỷ lệ hài lòng"), from the tablet at the counter or the
 * citizen's phone page, and the dossier code an officer attaches to a ticket. Each action is one
 * SQLite transaction; nothing here is a queue event (no seq: screens do not follow ratings).
 *
 * Rules: only a ticket served to the end (done) is rated, once, whichever device asks first (the
 * UNIQUE ticket_id decides); the tablet within 15 minutes of the end of service, the phone within
 * 2 hours. An answer is stored with the scale the citizen was shown. Không hài lòng or below may
 * get one reason (one tap, within 10 minutes, from the same device) and raises the director's
 * staff alert until each such answer is marked as seen on the dashboard.
 */
export function createRatings({ db, repos, clock, alerts }: RatingsDeps) {
  const timeZone = () => repos.settings.center().timeZone;
  const iso = (ms: number) => toIsoWithOffset(ms, timeZone());

  function mustTicket(id: string): TicketRow {
    const t = repos.tickets.get(id);
    if (!t) throw new AppError('TICKET_NOT_FOUND');
    return t;
  }

  function recorded(r: RatingRow): RatingRecorded {
    const level = ratingLevelOf(r.scale, r.score) as RatingLevel;
    return { ticketId: r.ticketId, scale: r.scale, level, satisfied: isSatisfied(level), asksReason: isDissatisfied(level) && r.reason === null, reason: r.reason };
  }

  /** The one rating of a served ticket, in one transaction; the day's report sums are dropped with it. */
  function add(ticketId: string, scale: RatingScale, level: RatingLevel, source: RatingSource, deviceId: number | null, windowMs: number): RatingRecorded {
    const score = ratingScoreOf(scale, level);
    if (score === null) throw new AppError('INVALID_INPUT', `${level} is not on the ${scale}-level scale.`);
    const out = db
      .transaction(() => {
        const now = clock.now();
        const t = mustTicket(ticketId);
        if (repos.ratings.get(ticketId)) throw refuse('already_rated');
        if (t.status !== 'done' || t.completedAt === null) throw refuse('not_served');
        if (now - t.completedAt > windowMs) throw refuse('too_late');
        if (!repos.ratings.add({ ticketId, counterId: t.counterId, officerId: t.officerId, deviceId, scale, score, source, at: now })) throw refuse('already_rated');
        // A closed day's sums no longer hold (a rating at 00:05 for a ticket of the day before).
        repos.ratings.invalidateReportDay(t.businessDay);
        return recorded(repos.ratings.get(ticketId)!);
      })
      .immediate();
    if (isDissatisfied(out.level)) refreshAlert();
    return out;
  }

  function addReason(ticketId: string, reason: RatingReason, from: { source: RatingSource; deviceId: number | null }): RatingRecorded {
    const out = db
      .transaction(() => {
        const now = clock.now();
        const t = mustTicket(ticketId);
        const r = repos.ratings.get(ticketId);
        if (!r) throw refuse('not_rated');
        if (!isDissatisfied(ratingLevelOf(r.scale, r.score) as RatingLevel)) throw refuse('no_reason_asked');
        // The citizen who answered gives the reason: on the same tablet, or on the same phone page.
        if (from.source === 'phone' ? r.source !== 'phone' : r.source === 'phone' || (from.deviceId !== null && r.deviceId !== from.deviceId)) throw refuse('other_source');
        if (r.reason !== null) throw refuse('reason_given');
        if (now - r.at > REASON_WINDOW_MS) throw refuse('too_late');
        if (!repos.ratings.setReason(ticketId, reason, now)) throw refuse('reason_given');
        repos.ratings.invalidateReportDay(t.businessDay);
        return recorded(repos.ratings.get(ticketId)!);
      })
      .immediate();
    refreshAlert();
    return out;
  }

  function dissatisfiedView(r: DissatisfiedRow): DissatisfiedRating {
    return {
      id: r.id,
      at: iso(r.at),
      businessDay: r.businessDay,
      ticketNumber: r.ticketNumber,
      service: r.serviceVi === null ? null : { vi: r.serviceVi, en: r.serviceEn ?? r.serviceVi },
      counter: r.counterNumber === null ? null : { number: r.counterNumber, name: r.counterName ?? '' },
      officer: r.officer,
      scale: r.scale,
      level: ratingLevelOf(r.scale, r.score) as RatingLevel,
      reason: r.reason,
      dossierCode: r.dossierCode,
      source: r.source,
    };
  }

  /**
   * The staff alert says how many dissatisfied answers wait to be seen, and no more: it reaches
   * every staff screen (the counters too), so which counter and ticket it was is for the
   * director's list on the dashboard (admin only). It is cleared when the last is marked as seen.
   * Alerts live in memory (alerts.ts): `createRatings` raises it again at start-up if answers are
   * still unseen.
   */
  let alertShown = false;
  function refreshAlert() {
    const n = repos.ratings.unseenDissatisfiedCount();
    if (n === 0) {
      if (alertShown) alerts.report({ ...RATING_ALERT, message: 'No dissatisfied rating left to see.', messageVi: 'Không còn đánh giá không hài lòng nào chưa xem.', active: false });
      alertShown = false;
      return;
    }
    alerts.report({
      ...RATING_ALERT,
      messageVi: `${n} đánh giá không hài lòng chưa xem: xem ở trang Tổng quan của quản trị.`,
      message: `${n} dissatisfied rating${n === 1 ? '' : 's'} not yet seen: see the admin Dashboard.`,
      active: true,
    });
    alertShown = true;
  }
  refreshAlert();

  /** An officer reads or writes the dossier code of a ticket they served, today; an admin of any ticket. */
  function dossierTicket(actor: Actor, ticketId: string, writing: boolean): TicketRow {
    if (actor.kind !== 'user') throw new AppError('FORBIDDEN');
    const t = mustTicket(ticketId);
    if (actor.role === 'admin') return t;
    if (t.officerId !== actor.userId) throw new AppError('NOT_YOUR_COUNTER', 'Only the officer who served this ticket can attach its dossier code.');
    if (writing) {
      if (t.status !== 'called' && t.status !== 'done') throw new AppError('INVALID_TRANSITION', 'A dossier code is attached to a ticket being served or served.');
      if (t.businessDay !== businessDayOf(clock.now(), timeZone())) throw new AppError('INVALID_TRANSITION', 'Only today’s tickets take a dossier code at the counter; ask an administrator.');
    }
    return t;
  }

  const form = (): RatingForm => ratingForm(repos.settings.center().ratingScale);

  function rateAtCounter(actor: Actor, input: { ticketId: string; scale: RatingScale; level: RatingLevel }): RatingRecorded {
    const deviceId = actor.kind === 'device' ? actor.deviceId : null;
    return add(input.ticketId, input.scale, input.level, deviceId === null ? 'admin' : 'tablet', deviceId, TABLET_WINDOW_MS);
  }

  function phoneState(ticketId: string): PhoneRatingState {
    const t = mustTicket(ticketId);
    const r = repos.ratings.get(ticketId);
    if (r) return { ticketId, state: 'rated', rating: recorded(r) };
    if (t.status !== 'done' || t.completedAt === null) return { ticketId, state: 'not_served' };
    const closesAt = t.completedAt + PHONE_WINDOW_MS;
    if (clock.now() > closesAt) return { ticketId, state: 'closed' };
    return { ticketId, state: 'open', form: form(), closesAt: iso(closesAt) };
  }

  return {
    /** What the tablet and the phone ask: the center's scale, its levels and the reasons. */
    form,
    /** The tablet at the counter (a display device), or an admin entering an answer. */
    rateAtCounter,
    /** A tablet page from before issue 15: a score 1-4 on the 4-level scale. */
    rateLegacy(actor: Actor, ticketId: string, score: number): { ticketId: string; score: number } {
      const level = ratingLevelOf(4, score);
      if (!level) throw new AppError('INVALID_INPUT', 'score must be 1 to 4.');
      rateAtCounter(actor, { ticketId, scale: 4, level });
      return { ticketId, score };
    },
    reasonAtCounter(actor: Actor, ticketId: string, reason: RatingReason): RatingRecorded {
      return addReason(ticketId, reason, { source: actor.kind === 'device' ? 'tablet' : 'admin', deviceId: actor.kind === 'device' ? actor.deviceId : null });
    },

    /** The phone page: where this ticket stands for a rating. */
    phoneState,
    rateFromPhone(ticketId: string, input: { scale: RatingScale; level: RatingLevel }): RatingRecorded {
      return add(ticketId, input.scale, input.level, 'phone', null, PHONE_WINDOW_MS);
    },
    reasonFromPhone(ticketId: string, reason: RatingReason): RatingRecorded {
      return addReason(ticketId, reason, { source: 'phone', deviceId: null });
    },

    /** The dashboard's list: dissatisfied answers not yet marked as seen, newest first. */
    unseenDissatisfied: (limit = 50): DissatisfiedRating[] => repos.ratings.unseenDissatisfied(limit).map(dissatisfiedView),
    /** The director has seen it: it leaves the list, and the alert when it was the last. */
    markSeen(actor: Actor, id: number): DissatisfiedRating {
      const row = repos.ratings.dissatisfiedById(id);
      if (!row || !isDissatisfied(ratingLevelOf(row.scale, row.score) as RatingLevel)) throw new AppError('NOT_FOUND', 'No such dissatisfied rating.');
      repos.ratings.markSeen(id, actor.kind === 'user' ? actor.userId : null, clock.now());
      refreshAlert();
      return dissatisfiedView(row);
    },

    dossier(actor: Actor, ticketId: string): TicketDossier {
      const t = dossierTicket(actor, ticketId, false);
      return { ticketId: t.id, number: t.number, dossierCode: repos.ratings.dossierCode(t.id) };
    },
    /** Attaches (or with null, removes) the dossier code; ratings, reports and exports carry it. */
    setDossierCode(actor: Actor, ticketId: string, code: string | null): TicketDossier {
      return db
        .transaction(() => {
          const t = dossierTicket(actor, ticketId, true);
          repos.ratings.setDossierCode(t.id, code, clock.now());
          return { ticketId: t.id, number: t.number, dossierCode: code };
        })
        .immediate();
    },
  };
}
export type Ratings = ReturnType<typeof createRatings>;
