import { expect } from 'vitest';
import type { TestCenter } from './center.js';
import type { TestProvince } from './province.js';

/** The figures both sides compute, by the same names (the center's report row, the province's FigureRow). */
function comparable(r: any) {
  const out: Record<string, unknown> = {
    issued: r.issued,
    served: r.served,
    noShow: r.noShow,
    cancelled: r.cancelled,
    open: r.open,
    wait: r.wait,
    ratings: r.ratings,
  };
  // Figures the center's report gained with issue 15 (satisfaction, within target, priority):
  // compared whenever the center reports them.
  if (r.satisfaction !== undefined) out.satisfaction = r.satisfaction;
  if (r.withinTarget !== undefined) out.withinTarget = r.withinTarget && { called: r.withinTarget.called, within: r.withinTarget.within, percent: r.withinTarget.percent };
  if (r.priority !== undefined && r.priority !== null) out.priority = r.priority;
  return out;
}

/** The province's figures for this center and range equal the center's own report, exactly. */
export async function expectSameFigures(c: TestCenter, p: TestProvince, from: string, to: string): Promise<void> {
  const report: any = c.s.server.ctx.buildReport({ from, to });
  const [fig] = await p.server.ctx.figures.report({ from, to, centerIds: [c.centerId] });
  expect(fig).toBeDefined();
  const pick = (r: any, center: any) => {
    const o = comparable(r);
    for (const k of Object.keys(o)) if (!(k in comparable(center))) delete o[k];
    return o;
  };
  expect(pick(fig!.totals, report.totals)).toEqual(comparable(report.totals));
  const centerRows = report.byService.map((r: any) => ({ serviceId: r.serviceId, ...comparable(r) }));
  const provinceRows = fig!.byService.map((r: any) => {
    const center = report.byService.find((x: any) => x.serviceId === r.serviceId) ?? {};
    return { serviceId: r.serviceId, ...pick(r, { ...comparable(center) }) };
  });
  expect(provinceRows).toEqual(centerRows);
}

/** Every ticket of the center, as the province holds it, equals the center's row. */
export async function expectSameTickets(c: TestCenter, p: TestProvince): Promise<void> {
  const center = (
    c.s.db
      .prepare(
        `SELECT id, number, service_id, issue_service_id, priority, status, business_day, issued_at, called_at, completed_at, counter_id, officer_id FROM tickets ORDER BY id`,
      )
      .all() as any[]
  ).map((t) => ({
    id: t.id,
    number: t.number,
    serviceId: t.service_id,
    issueServiceId: t.issue_service_id,
    priority: t.priority === 1,
    status: t.status,
    businessDay: t.business_day,
    issuedAt: t.issued_at,
    calledAt: t.called_at,
    completedAt: t.completed_at,
    counterId: t.counter_id,
    officerId: t.officer_id,
  }));
  const { rows } = await p.pool.query(
    `SELECT ticket_id, number, service_id, issue_service_id, priority, status, business_day, issued_at, called_at, completed_at, counter_id, officer_id
       FROM tickets WHERE center_id = $1 ORDER BY ticket_id COLLATE "C"`,
    [c.centerId],
  );
  const province = rows.map((t) => ({
    id: t.ticket_id,
    number: t.number,
    serviceId: t.service_id,
    issueServiceId: t.issue_service_id,
    priority: t.priority,
    status: t.status,
    businessDay: t.business_day,
    issuedAt: t.issued_at.getTime(),
    calledAt: t.called_at?.getTime() ?? null,
    completedAt: t.completed_at?.getTime() ?? null,
    counterId: t.counter_id,
    officerId: t.officer_id,
  }));
  expect(province).toEqual(center.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
}

/** Every event of the center is at the province once, in the center's current epoch. */
export async function expectSameEvents(c: TestCenter, p: TestProvince, epoch = 1): Promise<void> {
  const seqs = (c.s.db.prepare('SELECT seq FROM ticket_events ORDER BY seq').all() as { seq: number }[]).map((r) => r.seq);
  const { rows } = await p.pool.query('SELECT seq FROM events WHERE center_id = $1 AND epoch = $2 ORDER BY seq', [c.centerId, epoch]);
  expect(rows.map((r) => Number(r.seq))).toEqual(seqs);
}
