import { DEFAULT_TIME_ZONE } from '@luot/domain';
import type { CenterSettings as ProtocolCenterSettings, RatingSettings } from '@luot/protocol';
import type { Db } from './open.js';

/**
 * Center-wide settings, stored as JSON values so new ones need no migration: the protocol's
 * CenterSettings and RatingSettings (packages/protocol/src/admin.ts, where each is explained),
 * which are also what GET /admin/settings answers and PATCH /admin/settings validates.
 */
export type CenterSettings = ProtocolCenterSettings & RatingSettings;

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
