import type { OpeningHours } from '@luot/domain';
import type { Db } from './open.js';

export interface ServiceRow {
  id: number;
  code: string;
  nameVi: string;
  nameEn: string;
  prefix: string;
  numberWidth: number;
  hours: OpeningHours | null;
  dailyLimit: number | null;
  defaultServiceMinutes: number;
  targetWaitMinutes: number | null;
  sortOrder: number;
  active: boolean;
}

interface RawService {
  id: number;
  code: string;
  name_vi: string;
  name_en: string;
  prefix: string;
  number_width: number;
  hours: string | null;
  daily_limit: number | null;
  default_service_minutes: number;
  target_wait_minutes: number | null;
  sort_order: number;
  active: number;
}

const toRow = (r: RawService): ServiceRow => ({
  id: r.id,
  code: r.code,
  nameVi: r.name_vi,
  nameEn: r.name_en,
  prefix: r.prefix,
  numberWidth: r.number_width,
  hours: r.hours ? (JSON.parse(r.hours) as OpeningHours) : null,
  dailyLimit: r.daily_limit,
  defaultServiceMinutes: r.default_service_minutes,
  targetWaitMinutes: r.target_wait_minutes,
  sortOrder: r.sort_order,
  active: r.active === 1,
});

export type NewService = Omit<ServiceRow, 'id'>;

export function createServiceRepo(db: Db) {
  const all = db.prepare<[], RawService>('SELECT * FROM services ORDER BY sort_order, id');
  const byId = db.prepare<[number], RawService>('SELECT * FROM services WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO services (code, name_vi, name_en, prefix, number_width, hours, daily_limit, default_service_minutes, target_wait_minutes, sort_order, active)
     VALUES (@code, @nameVi, @nameEn, @prefix, @numberWidth, @hours, @dailyLimit, @defaultServiceMinutes, @targetWaitMinutes, @sortOrder, @active)`,
  );
  const update = db.prepare(
    `UPDATE services SET code = @code, name_vi = @nameVi, name_en = @nameEn, prefix = @prefix, number_width = @numberWidth, hours = @hours,
       daily_limit = @dailyLimit, default_service_minutes = @defaultServiceMinutes, target_wait_minutes = @targetWaitMinutes,
       sort_order = @sortOrder, active = @active WHERE id = @id`,
  );
  const byCode = db.prepare<[string], { id: number }>('SELECT id FROM services WHERE code = ?');
  return {
    idByCode: (code: string): number | undefined => byCode.get(code)?.id,
    update: (s: ServiceRow) => void update.run({ ...s, hours: s.hours ? JSON.stringify(s.hours) : null, active: s.active ? 1 : 0 }),
    list: (): ServiceRow[] => all.all().map(toRow),
    get: (id: number): ServiceRow | undefined => {
      const r = byId.get(id);
      return r ? toRow(r) : undefined;
    },
    create: (s: NewService): number =>
      Number(insert.run({ ...s, hours: s.hours ? JSON.stringify(s.hours) : null, active: s.active ? 1 : 0 }).lastInsertRowid),
  };
}
export type ServiceRepo = ReturnType<typeof createServiceRepo>;
