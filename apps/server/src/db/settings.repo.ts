import { DEFAULT_TIME_ZONE } from '@luot/domain';
import type { Db } from './open.js';

/** Center-wide settings, stored as JSON values so new ones need no migration. */
export interface CenterSettings {
  centerName: string;
  timeZone: string;
  /** Priority calls in a row at a counter while normal tickets wait. */
  maxPriorityInRow: number;
  /** A no-show can be called back for this long. */
  noShowCallBackMinutes: number;
  /** What happens to a ticket the kiosk could not print: cancel it, or keep it and show it on screen. */
  printFailure: 'cancel' | 'show';
  /** How many recent services the wait estimate looks at. */
  waitSampleSize: number;
  /** The news line on the waiting-room TV. */
  tickerText: string;
  /** The last line printed on every ticket. */
  ticketFooter: string;
  /** The TV drops a call announcement that would start this long after the call (seconds, 3..120). */
  announceMaxLagSeconds: number;
  /** The TV reads each call twice. */
  announceRepeat: boolean;
  /** Citizens may check in with their ID card's QR at the kiosk (docs/privacy.md). */
  checkInEnabled: boolean;
  /** A checked-in citizen at or above this age gets a priority ticket by itself. */
  priorityAge: number;
  /** Days the name and year of birth are kept after the business day (0: deleted at its end). */
  checkInNameDays: number;
  /** Days the keyed hash of an ID number is kept, for the returning-visitor count. */
  returningVisitorDays: number;
  /**
   * Levels the rating tablet and phone page offer (protocol RatingSettings): 3 as provincial
   * rating devices (the default, also for centers that asked 4 before: their stored ratings keep
   * the scale they were given on), 4, or 5.
   */
  ratingScale: 3 | 4 | 5;
}

export const DEFAULT_SETTINGS: CenterSettings = {
  centerName: 'Trung tâm Phục vụ hành chính công',
  timeZone: DEFAULT_TIME_ZONE,
  maxPriorityInRow: 2,
  noShowCallBackMinutes: 30,
  printFailure: 'cancel',
  waitSampleSize: 20,
  tickerText: 'Vui lòng giữ trật tự và chờ đến lượt. Please wait for your number to be called.',
  ticketFooter: 'Cảm ơn quý công dân. Thank you.',
  announceMaxLagSeconds: 10,
  announceRepeat: false,
  checkInEnabled: false,
  priorityAge: 60,
  checkInNameDays: 0,
  returningVisitorDays: 30,
  ratingScale: 3,
};

export function createSettingsRepo(db: Db) {
  const getStmt = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const setStmt = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  // Read on every action: keep the parsed value until it is written.
  let cachedCenter: CenterSettings | null = null;
  return {
    get<T>(key: string): T | undefined {
      const row = getStmt.get(key);
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    set(key: string, value: unknown): void {
      setStmt.run(key, JSON.stringify(value));
    },
    center(): CenterSettings {
      cachedCenter ??= { ...DEFAULT_SETTINGS, ...(this.get<Partial<CenterSettings>>('center') ?? {}) };
      return cachedCenter;
    },
    setCenter(patch: Partial<CenterSettings>): CenterSettings {
      const next = { ...this.center(), ...patch };
      this.set('center', next);
      cachedCenter = next;
      return next;
    },
  };
}
export type SettingsRepo = ReturnType<typeof createSettingsRepo>;
