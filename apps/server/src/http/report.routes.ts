import { ROUTES } from '@luot/protocol';
import type { FastifyInstance } from 'fastify';
import { createDirectorReads } from '../admin/director-reads.js';
import type { AppContext } from '../context.js';
import { route } from './route.js';

/** What a director reads: reports (page, CSV, Excel) and the audit log (admin/director-reads.ts). Admin only. */
export function reportRoutes(app: FastifyInstance, ctx: AppContext) {
  const reads = createDirectorReads({ repos: ctx.repos, buildReport: ctx.buildReport, iso: ctx.queue.views.iso });

  route(app, ROUTES.audit, ({ query }) => reads.auditLog(query));

  route(app, ROUTES.report, ({ query }) => ctx.buildReport(query));
  route(app, ROUTES.reportCsv, ({ query, reply }) => {
    const { fileName, body } = reads.reportCsv(query);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${fileName}"`).send(body);
  });
  route(app, ROUTES.reportXlsx, async ({ query, reply }) => {
    const { fileName, body } = await reads.reportXlsx(query);
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', `attachment; filename="${fileName}"`).send(body);
  });
}
