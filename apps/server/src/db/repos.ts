import { createAuditRepo } from './audit.repo.js';
import { createCitizenRepo } from './citizen.repo.js';
import { createCounterRepo } from './counter.repo.js';
import { createDeviceRepo } from './device.repo.js';
import { createIssueKeyRepo } from './issue-key.repo.js';
import { createEventRepo } from './event.repo.js';
import type { Db } from './open.js';
import { createPrinterRepo } from './printer.repo.js';
import { createRatingRepo } from './rating.repo.js';
import { createServiceRepo } from './service.repo.js';
import { createSettingsRepo } from './settings.repo.js';
import { createTicketRepo } from './ticket.repo.js';
import { createTokenRepo } from './token.repo.js';
import { createUserRepo } from './user.repo.js';

/** Every table's prepared statements, prepared once per database. */
export function createRepos(db: Db) {
  return {
    settings: createSettingsRepo(db),
    services: createServiceRepo(db),
    counters: createCounterRepo(db),
    tickets: createTicketRepo(db),
    issueKeys: createIssueKeyRepo(db),
    events: createEventRepo(db),
    users: createUserRepo(db),
    devices: createDeviceRepo(db),
    tokens: createTokenRepo(db),
    audit: createAuditRepo(db),
    ratings: createRatingRepo(db),
    printers: createPrinterRepo(db),
    citizens: createCitizenRepo(db),
  };
}
export type Repos = ReturnType<typeof createRepos>;
