import { estimateWaitMinutes, isOpenAt, toIsoWithOffset, type QueuedTicket, type WaitEstimateInput } from '@luot/domain';
import type { CenterInfo, Counter, CounterConfig, Service, ServiceConfig, Ticket } from '@luot/protocol';
import type { CounterRow } from '../db/counter.repo.js';
import type { Repos } from '../db/repos.js';
import type { ServiceRow } from '../db/service.repo.js';
import type { TicketRow } from '../db/ticket.repo.js';

/** Turns rows into the wire shapes of api-v1, with times in the center's offset. */
export function createViews(repos: Repos) {
  const tz = () => repos.settings.center().timeZone;
  const iso = (ms: number) => toIsoWithOffset(ms, tz());

  /**
   * The wait estimate of one service for any number of places ahead: its inputs (recent service
   * times, open counters) are read once, so a whole service's phones cost one read, not one each.
   */
  function waitEstimator(serviceId: number, service?: ServiceRow): (ahead: number) => number {
    let inputs: Omit<WaitEstimateInput, 'ahead'> | null = null;
    return (ahead) => {
      // Nothing to read for the head of the queue (estimateWaitMinutes says 0 there).
      if (ahead <= 0) return 0;
      inputs ??= {
        recentServiceSeconds: repos.tickets.recentServiceSeconds(serviceId, repos.settings.center().waitSampleSize),
        openCounters: repos.counters.openCountFor(serviceId),
        defaultServiceMinutes: (service ?? repos.services.get(serviceId))?.defaultServiceMinutes ?? 10,
      };
      return estimateWaitMinutes({ ahead, ...inputs });
    };
  }

  function waitFor(serviceId: number, ahead: number, service?: ServiceRow): number {
    return waitEstimator(serviceId, service)(ahead);
  }

  function ticket(row: TicketRow, withPosition = false): Ticket {
    const t: Ticket = {
      id: row.id,
      number: row.number,
      serviceId: row.serviceId,
      priority: row.priority,
      status: row.status,
      issuedAt: iso(row.issuedAt),
    };
    if (row.calledAt !== null) t.calledAt = iso(row.calledAt);
    if (row.completedAt !== null) t.completedAt = iso(row.completedAt);
    if (row.counterId !== null && row.status !== 'waiting') t.counterId = row.counterId;
    if (withPosition && row.status === 'waiting') {
      t.ahead = repos.tickets.ahead(row);
      t.estimatedWaitMinutes = waitFor(row.serviceId, t.ahead);
    }
    return t;
  }

  /** A waiting ticket as the domain's queue order sees it. */
  function queued(row: TicketRow): QueuedTicket {
    return { ticketId: row.id, serviceId: row.serviceId, priority: row.priority, queueSeq: row.queueSeq };
  }

  /** A service's figures; `estimate` when the caller has one for it already (its inputs read once). */
  function service(row: ServiceRow, now: number, estimate = waitEstimator(row.id, row)): Service {
    const waiting = repos.tickets.waitingCount(row.id);
    return {
      id: row.id,
      code: row.code,
      name: { vi: row.nameVi, en: row.nameEn },
      prefix: row.prefix,
      open: row.active && isOpenAt(row.hours, now, tz()),
      waiting,
      estimatedWaitMinutes: estimate(waiting),
      ...(row.targetWaitMinutes !== null ? { targetWaitMinutes: row.targetWaitMinutes } : {}),
      active: row.active,
    };
  }

  function serviceConfig(row: ServiceRow): ServiceConfig {
    return {
      id: row.id,
      code: row.code,
      name: { vi: row.nameVi, en: row.nameEn },
      prefix: row.prefix,
      numberWidth: row.numberWidth,
      hours: row.hours,
      dailyLimit: row.dailyLimit,
      defaultServiceMinutes: row.defaultServiceMinutes,
      targetWaitMinutes: row.targetWaitMinutes,
      sortOrder: row.sortOrder,
      active: row.active,
    };
  }

  function servicesById(ids: Iterable<number>, now: number): Service[] {
    const out: Service[] = [];
    for (const id of new Set(ids)) {
      const row = repos.services.get(id);
      if (row) out.push(service(row, now));
    }
    return out;
  }

  function counter(row: CounterRow): Counter {
    const c: Counter = { id: row.id, number: row.number, name: row.name, serviceIds: row.serviceIds, state: row.state, active: row.active };
    if (row.officerId !== null && row.officerName !== null) c.officer = { id: row.officerId, username: row.officerName };
    if (row.currentTicketId) {
      const t = repos.tickets.get(row.currentTicketId);
      if (t) c.currentTicket = ticket(t);
    }
    return c;
  }

  /** A counter as the admin configures it (GET/POST/PATCH /admin/counters). */
  function counterConfig(row: CounterRow): CounterConfig {
    return { id: row.id, number: row.number, name: row.name, serviceIds: row.serviceIds, active: row.active, priorityMode: row.priorityMode };
  }

  /** What every screen shows of the center: the snapshot's `center` and `center:updated` carry exactly this. */
  function center(): CenterInfo {
    const c = repos.settings.center();
    return {
      name: c.centerName,
      tickerText: c.tickerText,
      ticketFooter: c.ticketFooter,
      timeZone: c.timeZone,
      announceMaxLagSeconds: c.announceMaxLagSeconds,
      announceRepeat: c.announceRepeat,
    };
  }

  return { ticket, queued, service, serviceConfig, servicesById, counter, counterConfig, center, iso, waitFor, waitEstimator };
}
export type Views = ReturnType<typeof createViews>;
