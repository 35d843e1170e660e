import type { QueueEvent, Snapshot } from '@luot/protocol';
import type { Db } from '../db/open.js';
import type { Repos } from '../db/repos.js';
import type { Clock } from '../clock.js';
import { checkInHasherFor, type CheckInHasher } from '../checkin/hasher.js';
import type { Actor } from './actor.js';
import { createAdminConfig } from './admin-config.js';
import { createCounterCommands } from './counter-commands.js';
import { createDay } from './day.js';
import { createReadModels } from './read-models.js';
import { createTicketCommands } from './ticket-commands.js';
import { createUnitOfWork } from './unit-of-work.js';
import { createViews } from './views.js';

export interface QueueDeps {
  db: Db;
  repos: Repos;
  clock: Clock;
  /** Called after each committed action with its events, in seq order. */
  publish: (events: QueueEvent[]) => void;
  /**
   * Called after a committed action that started a new business day (the minute timer or any
   * request after local midnight), with the new day's snapshot: screens must drop yesterday's
   * recent calls, which no event removes.
   */
  newDay?: (buildSnapshot: () => Snapshot) => void;
  /** The keyed hash of ID-card check-ins (default: the key file beside the database, checkin/key.ts). */
  checkInHasher?: CheckInHasher;
}

/**
 * The queue's use cases. Each action is one SQLite transaction that checks the state, changes
 * it, appends its events to the log with the next seq, and only after commit hands the events to
 * `publish`. better-sqlite3 is synchronous, so no transaction ever spans an await, and two
 * counters pressing "next" at once are simply two transactions one after the other; the claim is
 * still a guarded UPDATE (... AND status = 'waiting') so a second process could not double-call.
 */
export function createQueue({ db, repos, clock, publish, newDay, checkInHasher }: QueueDeps) {
  const views = createViews(repos);
  const hasher = checkInHasher ?? checkInHasherFor(db);
  // The unit of work opens each action with the day rollover and hands a new day's snapshot to
  // `newDay`; both live in modules built on it, so it reaches them through these late-bound calls.
  const uow = createUnitOfWork({
    db,
    repos,
    clock,
    views,
    publish,
    newDay,
    beginAction: (tx) => day.rollOverDay(tx),
    snapshot: () => reads.snapshot(),
  });
  const day = createDay(uow);
  const reads = createReadModels(db, uow, day);
  const tickets = createTicketCommands(uow, day, hasher);
  const counterCommands = createCounterCommands(uow);
  const { finish, setCounterState } = counterCommands;
  const admin = createAdminConfig(uow, counterCommands);

  return {
    updateCenter: admin.updateCenter,
    saveService: admin.saveService,
    saveCounter: admin.saveCounter,
    ticketView: reads.ticketView,
    /** Closes the day if local midnight has passed; a minute timer calls it so TVs clear overnight. */
    rollOverIfNeeded: () => uow.act(null, () => undefined),
    minuteTick: day.minuteTick,
    issueTicket: tickets.issueTicket,
    issueTicketGrouped: tickets.issueTicketGrouped,
    groupCommitStats: tickets.groupCommitStats,
    issuedFor: tickets.issuedFor,
    callNext: counterCommands.callNext,
    callTicket: counterCommands.callTicket,
    recall: counterCommands.recall,
    complete: (actor: Actor, counterId: number, expectTicketId?: string | null) => finish(actor, counterId, 'done', expectTicketId),
    noShow: (actor: Actor, counterId: number, expectTicketId?: string | null) => finish(actor, counterId, 'no_show', expectTicketId),
    transfer: counterCommands.transfer,
    openCounter: (actor: Actor, counterId: number) => setCounterState(actor, counterId, 'open'),
    pauseCounter: (actor: Actor, counterId: number) => setCounterState(actor, counterId, 'paused'),
    closeCounter: (actor: Actor, counterId: number) => setCounterState(actor, counterId, 'closed'),
    printFailed: tickets.printFailed,
    abandonIssue: tickets.abandonIssue,
    cancelTicket: tickets.cancelTicket,
    snapshot: reads.snapshot,
    services: reads.services,
    counters: reads.counters,
    recentNoShows: reads.recentNoShows,
    centerSettings: reads.centerSettings,
    serviceConfigs: reads.serviceConfigs,
    counterConfigs: reads.counterConfigs,
    /** The business day the server is in (never earlier than the last one reached). */
    businessDay: () => day.businessDay(),
    publicTicket: reads.publicTicket,
    publicTickets: reads.publicTickets,
    citizenAt: reads.citizenAt,
    views,
  };
}
export type Queue = ReturnType<typeof createQueue>;
