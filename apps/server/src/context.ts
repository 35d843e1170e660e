import type { Logger } from 'pino';
import type { DeviceAdmin } from './admin/devices.js';
import type { UserAdmin } from './admin/users.js';
import type { Alerts } from './alerts.js';
import type { LoginThrottle } from './auth/login-throttle.js';
import type { TokenService } from './auth/tokens.js';
import type { Clock } from './clock.js';
import type { Db } from './db/open.js';
import type { Repos } from './db/repos.js';
import type { Queue } from './queue/queue.js';
import type { Ratings } from './queue/ratings.js';
import type { BuildReport } from './reports/report.js';

/** What the HTTP and socket edges need; built once in createServer. */
export interface AppContext {
  version: string;
  db: Db;
  repos: Repos;
  clock: Clock;
  queue: Queue;
  /** The admin's user accounts (admin/users.ts). */
  users: UserAdmin;
  /** The admin's kiosks and TVs (admin/devices.ts). */
  devices: DeviceAdmin;
  /** Citizens' ratings and dossier codes (queue/ratings.ts). */
  ratings: Ratings;
  buildReport: BuildReport;
  tokens: TokenService;
  throttle: LoginThrottle;
  alerts: Alerts;
  logger: Logger;
  disconnectDevice(deviceId: number): void;
}
