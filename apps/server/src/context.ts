import type { Logger } from 'pino';
import type { Alerts } from './alerts.js';
import type { LoginThrottle } from './auth/login-throttle.js';
import type { TokenService } from './auth/tokens.js';
import type { Clock } from './clock.js';
import type { Db } from './db/open.js';
import type { Repos } from './db/repos.js';
import type { Queue } from './queue/queue.js';
import type { BuildReport } from './reports/report.js';

/** What the HTTP and socket edges need; built once in createServer. */
export interface AppContext {
  version: string;
  db: Db;
  repos: Repos;
  clock: Clock;
  queue: Queue;
  buildReport: BuildReport;
  tokens: TokenService;
  throttle: LoginThrottle;
  alerts: Alerts;
  logger: Logger;
  disconnectDevice(deviceId: number): void;
}
