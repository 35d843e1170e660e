import { ROUTES, type BackupStatus } from '@luot/protocol';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { noBackupStatus } from '../ops/backup-status.js';
import { route } from './route.js';

/**
 * GET /api/v1/admin/backups — the nightly backup for the admin dashboard: folder, last backup,
 * last failure (ops/backup-status.ts). Admin only. `read` is the running operations' view, set by
 * main.ts once they start (LuotServer.useBackupStatus); before that, or in a server built without
 * them, the answer says no folder is set.
 */
export function backupRoutes(app: FastifyInstance, ctx: AppContext, read: () => (() => Promise<BackupStatus>) | null) {
  route(app, ROUTES.backups, () => read()?.() ?? noBackupStatus(ctx.repos.settings.center().timeZone));
}
