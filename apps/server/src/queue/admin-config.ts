import { canPrint, formatTicketNumber, numbersClash } from '@luot/domain';
import type { CounterConfig, ServiceConfig } from '@luot/protocol';
import type { CenterSettings } from '../db/settings.repo.js';
import { AppError } from '../errors.js';
import type { Actor } from './actor.js';
import type { CounterCommands } from './counter-commands.js';
import type { UnitOfWork } from './unit-of-work.js';

/** The admin's configuration of the center, its services and its counters. */
export function createAdminConfig(uow: UnitOfWork, counters: Pick<CounterCommands, 'completeCurrent'>) {
  const { repos, views, settings, act, audit, emitCenter, emitService, emitCounter } = uow;
  const { completeCurrent } = counters;

  // ---- administration: each change audited and announced in the same transaction ----
  function requireAdmin(actor: Actor) {
    if (actor.kind !== 'user' || actor.role !== 'admin') throw new AppError('FORBIDDEN');
  }

  function updateCenter(actor: Actor, patch: Partial<CenterSettings>): CenterSettings {
    requireAdmin(actor);
    return act(actor, (tx) => {
      const before = settings();
      const after = repos.settings.setCenter(patch);
      audit(tx, 'center.update', null, patch);
      // Every field screens show (CenterInfo), including the TV's announcement settings.
      const shown = (c: CenterSettings) =>
        [c.centerName, c.tickerText, c.ticketFooter, c.timeZone, c.announceMaxLagSeconds, c.announceRepeat, c.checkInEnabled, c.priorityAge, c.checkInNameDays, c.returningVisitorDays].join('\u0000');
      if (shown(before) !== shown(after)) emitCenter(tx);
      // The time zone or wait settings change every service's figures.
      if (before.timeZone !== after.timeZone || before.waitSampleSize !== after.waitSampleSize) {
        for (const sv of repos.services.list()) emitService(tx, 'center', sv.id);
      }
      return after;
    });
  }

  function saveService(actor: Actor, id: number | null, patch: Partial<Omit<ServiceConfig, 'id'>>): ServiceConfig {
    requireAdmin(actor);
    return act(actor, (tx) => {
      if (patch.code !== undefined) {
        const other = repos.services.idByCode(patch.code);
        if (other !== undefined && other !== id) throw new AppError('INVALID_INPUT', `Service code ${patch.code} is taken.`);
      }
      let serviceId: number;
      const before = id === null ? null : (repos.services.get(id) ?? null);
      if (id === null) {
        const full = patch as Omit<ServiceConfig, 'id'>;
        serviceId = repos.services.create({
          code: full.code,
          nameVi: full.name.vi,
          nameEn: full.name.en,
          prefix: full.prefix,
          numberWidth: full.numberWidth,
          hours: full.hours,
          dailyLimit: full.dailyLimit,
          defaultServiceMinutes: full.defaultServiceMinutes,
          targetWaitMinutes: full.targetWaitMinutes,
          sortOrder: full.sortOrder,
          active: full.active,
        });
      } else {
        const cur = repos.services.get(id);
        if (!cur) throw new AppError('SERVICE_NOT_FOUND');
        repos.services.update({
          ...cur,
          ...(patch.code !== undefined ? { code: patch.code } : {}),
          ...(patch.name ? { nameVi: patch.name.vi, nameEn: patch.name.en } : {}),
          ...(patch.prefix !== undefined ? { prefix: patch.prefix } : {}),
          ...(patch.numberWidth !== undefined ? { numberWidth: patch.numberWidth } : {}),
          ...(patch.hours !== undefined ? { hours: patch.hours } : {}),
          ...(patch.dailyLimit !== undefined ? { dailyLimit: patch.dailyLimit } : {}),
          ...(patch.defaultServiceMinutes !== undefined ? { defaultServiceMinutes: patch.defaultServiceMinutes } : {}),
          ...(patch.targetWaitMinutes !== undefined ? { targetWaitMinutes: patch.targetWaitMinutes } : {}),
          ...(patch.sortOrder !== undefined ? { sortOrder: patch.sortOrder } : {}),
          ...(patch.active !== undefined ? { active: patch.active } : {}),
        });
        serviceId = id;
      }
      refuseNumberClash(serviceId, before, tx.day);
      audit(tx, id === null ? 'service.create' : 'service.update', `service:${serviceId}`, patch);
      emitService(tx, id === null ? 'service.create' : 'service.update', serviceId);
      return views.serviceConfig(repos.services.get(serviceId)!);
    });
  }

  /**
   * Two active services must never print the same number: the TV calling "1001" would bring two
   * citizens (numbersClash). Checked on the saved row, inside the transaction: a refusal rolls
   * the change back.
   */
  function refuseNumberClash(serviceId: number, before: { prefix: string; numberWidth: number; active: boolean } | null, day: string) {
    const saved = repos.services.get(serviceId)!;
    if (!saved.active) return;
    const rule = { prefix: saved.prefix, width: saved.numberWidth };
    // A rule changed (or switched on) during the day must not print a number still in play today:
    // another service's, or this service's own under its old rule (its sequence goes on).
    // Its own tickets count only if its rule changed: under the same rule its sequence goes on past them.
    const ruleChanged = before !== null && (before.prefix !== saved.prefix || before.numberWidth !== saved.numberWidth);
    if (!before || !before.active || ruleChanged) {
      const inPlay = repos.tickets.openNumbers(day).find((t) => (t.serviceId !== serviceId || ruleChanged) && canPrint(rule, t.number));
      if (inPlay) throw new AppError('NUMBERS_CLASH', `Ticket ${inPlay.number} of today is still in the queue and this rule could print it again: change it after the day's tickets are served.`);
    }
    const other = repos.services.list().find((s) => s.id !== serviceId && s.active && numbersClash(rule, { prefix: s.prefix, width: s.numberWidth }));
    if (!other) return;
    // A number both print: the longer prefix's first one.
    const longer = other.prefix.length > saved.prefix.length ? { prefix: other.prefix, width: other.numberWidth } : rule;
    throw new AppError('NUMBERS_CLASH', `Both this service and "${other.nameVi}" / "${other.nameEn}" would print ${formatTicketNumber(longer, 1)}.`);
  }

  function saveCounter(actor: Actor, id: number | null, patch: Partial<Omit<CounterConfig, 'id'>>): CounterConfig {
    requireAdmin(actor);
    return act(actor, (tx) => {
      const cur = id === null ? null : repos.counters.get(id);
      if (id !== null && !cur) throw new AppError('COUNTER_NOT_FOUND');
      const next = {
        number: patch.number ?? cur?.number ?? 0,
        name: patch.name ?? cur?.name ?? '',
        active: patch.active ?? cur?.active ?? true,
        serviceIds: patch.serviceIds ?? cur?.serviceIds ?? [],
        priorityMode: patch.priorityMode ?? cur?.priorityMode ?? 'normal',
      };
      for (const sid of next.serviceIds) if (!repos.services.get(sid)) throw new AppError('SERVICE_NOT_FOUND');
      const clash = repos.counters.idByNumber(next.number);
      if (clash !== undefined && clash !== id) throw new AppError('INVALID_INPUT', `Counter number ${next.number} is taken.`);
      let counterId: number;
      if (id === null) counterId = repos.counters.create(next.number, next.name, next.serviceIds, next.priorityMode);
      else {
        repos.counters.update(id, next);
        counterId = id;
      }
      if (!next.active && cur && cur.state !== 'closed') {
        completeCurrent(tx, cur);
        repos.counters.setState(counterId, 'closed', null);
      }
      audit(tx, id === null ? 'counter.create' : 'counter.update', `counter:${counterId}`, patch);
      // Services it stopped serving lose its share of the work as much as new ones gain it.
      emitCounter(tx, id === null ? 'counter.create' : 'counter.update', counterId, [...(cur?.serviceIds ?? []), ...next.serviceIds]);
      return views.counterConfig(repos.counters.get(counterId)!);
    });
  }

  return { updateCenter, saveService, saveCounter };
}
