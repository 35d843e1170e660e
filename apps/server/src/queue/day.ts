import { businessDayNow, isOpenAt } from '@luot/domain';
import { daysBefore } from '../ops/retention.js';
import type { Tx, UnitOfWork } from './unit-of-work.js';

/** Visits past their period deleted at a day rollover, at most (the nightly job deletes the rest in batches). */
const ROLLOVER_VISIT_PURGE = 5000;

/** The business day: which day the server is in, the rollover into a new one, the minute timer. */
export function createDay({ repos, clock, settings, act, emitUpdated, emitService, reload }: UnitOfWork) {
  /** The last business day reached: stored, so it holds across restarts. */
  const lastDay = () => repos.settings.get<string>('businessDay');
  /**
   * The business day now: the clock's, but never earlier than the last one reached (a clock set
   * back across midnight keeps the later day; see businessDayNow in the domain).
   */
  function businessDay(now = clock.now()): string {
    return businessDayNow(now, settings().timeZone, lastDay()).day;
  }

  /**
   * A new business day (local midnight in the center's zone) starts new sequences without
   * deleting anything: the day before's waiting and called tickets are closed as cancelled
   * (reason day_ended), and counters drop their current ticket. The day only moves forward:
   * with the clock set back across midnight nothing happens until it passes midnight again.
   */
  function rollOverDay(tx: Tx) {
    const before = lastDay();
    const today = businessDayNow(tx.now, settings().timeZone, before).day;
    tx.day = today;
    if (before === today) return;
    for (const t of repos.tickets.openFromEarlierDays(today)) {
      repos.tickets.cancel(t.id, 'day_ended', tx.now);
      emitUpdated(tx, 'day_ended', reload(t.id));
    }
    // Their tickets' ticket:updated (cancelled) events free the counters on every screen.
    for (const counterId of repos.counters.idsWithCurrent()) repos.counters.setCurrent(counterId, null);
    // Idempotency-Keys live for their business day: a retry never crosses midnight.
    repos.issueKeys.deleteBefore(today);
    // Checked-in names go when their day ends (checkInNameDays after it), before the night's
    // backup copies the file; old visit hashes too, the nightly job finishing a large backlog.
    const s = settings();
    repos.citizens.deleteNamesBefore(daysBefore(today, s.checkInNameDays), -1);
    repos.citizens.deleteVisitsBefore(daysBefore(today, s.returningVisitorDays), ROLLOVER_VISIT_PURGE);
    repos.settings.set('businessDay', today);
    // A new database's first day is no change any screen has to follow.
    tx.newDay = before !== undefined;
  }

  /**
   * The minute timer: rolls the day over if midnight passed, and announces each service whose
   * opening hours opened or closed it since `since` (no press changes that, yet every screen's
   * service list must show it, as a fresh snapshot would).
   */
  function minuteTick(since: number): void {
    act(null, (tx) => {
      const tz = settings().timeZone;
      for (const sv of repos.services.list()) {
        if (sv.active && sv.hours && isOpenAt(sv.hours, since, tz) !== isOpenAt(sv.hours, tx.now, tz)) emitService(tx, 'hours', sv.id);
      }
    });
  }

  return { lastDay, businessDay, rollOverDay, minuteTick };
}
export type Day = ReturnType<typeof createDay>;
