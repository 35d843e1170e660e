import type { AuditEntry, AuditQuery, ReportQuery } from '@luot/protocol';
import type { z } from 'zod';
import type { Repos } from '../db/repos.js';
import { createAuditText } from '../reports/audit-text.js';
import { reportCsv, reportXlsx } from '../reports/export.js';
import type { BuildReport } from '../reports/report.js';

export interface DirectorReadsDeps {
  repos: Repos;
  buildReport: BuildReport;
  /** A time as the center's local ISO string (queue views). */
  iso: (ms: number) => string;
}

/**
 * What a director reads beside the report page: the audit log in words (reports/audit-text.ts)
 * and the report as a file, its ratings included (reports/export.ts). Each file is named by the
 * days it covers.
 */
export function createDirectorReads({ repos, buildReport, iso }: DirectorReadsDeps) {
  const auditText = createAuditText(repos);

  function auditLog({ limit, kind }: z.infer<typeof AuditQuery>): AuditEntry[] {
    return repos.audit
      .recent(limit ?? 200, kind ?? 'changes')
      .map((a) => ({ id: a.id, at: iso(a.at), username: a.username, action: a.action, target: a.target, detail: a.detail, ...auditText.describe(a) }));
  }

  const fileName = (query: ReportQuery, ext: string) => `luot-bao-cao-${query.from}-${query.to}.${ext}`;
  const ratingsOf = (query: ReportQuery) => repos.ratings.listForDays(query.from, query.to);

  return {
    auditLog,
    reportCsv: (query: ReportQuery) => ({ fileName: fileName(query, 'csv'), body: reportCsv(buildReport(query), ratingsOf(query)) }),
    reportXlsx: async (query: ReportQuery) => ({ fileName: fileName(query, 'xlsx'), body: await reportXlsx(buildReport(query), ratingsOf(query)) }),
  };
}
export type DirectorReads = ReturnType<typeof createDirectorReads>;
