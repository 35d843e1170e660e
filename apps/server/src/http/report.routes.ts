import { ROUTES } from '@luot/protocol';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { createAuditText } from '../reports/audit-text.js';
import { reportCsv, reportXlsx } from '../reports/export.js';
import { ratingRoutes } from './rating.routes.js';
import { route } from './route.js';

/** What a director reads: reports (page, CSV, Excel) and the audit log. Admin only. */
export function reportRoutes(app: FastifyInstance, ctx: AppContext) {
  const { buildReport } = ctx;
  const iso = (ms: number) => ctx.queue.views.iso(ms);
  const auditText = createAuditText(ctx.repos);

  // Ratings feed the reports; their routes are registered here until server.ts lists them itself
  // (ratingRoutes registers once, whoever calls it first).
  ratingRoutes(app, ctx);

  route(app, ROUTES.audit, ({ query: { limit, kind } }) =>
    ctx.repos.audit
      .recent(limit ?? 200, kind ?? 'changes')
      .map((a) => ({ id: a.id, at: iso(a.at), username: a.username, action: a.action, target: a.target, detail: a.detail, ...auditText.describe(a) })),
  );

  route(app, ROUTES.report, ({ query }) => buildReport(query));
  route(app, ROUTES.reportCsv, ({ query, reply }) =>
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="luot-bao-cao-${query.from}-${query.to}.csv"`)
      .send(reportCsv(buildReport(query), ctx.repos.ratings.listForDays(query.from, query.to))),
  );
  route(app, ROUTES.reportXlsx, async ({ query, reply }) =>
    reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="luot-bao-cao-${query.from}-${query.to}.xlsx"`)
      .send(await reportXlsx(buildReport(query), ctx.repos.ratings.listForDays(query.from, query.to))),
  );
}
