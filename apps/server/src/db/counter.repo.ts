import type { PriorityMode } from '@luot/domain';
import type { CounterState } from '@luot/protocol';
import type { Db } from './open.js';

export interface CounterRow {
  id: number;
  number: number;
  name: string;
  state: CounterState;
  officerId: number | null;
  officerName: string | null;
  currentTicketId: string | null;
  priorityStreak: number;
  /** A priority counter calls priority tickets first, or only (Decree 61/2018 as amended). */
  priorityMode: PriorityMode;
  active: boolean;
  /** In the order the counter serves them. */
  serviceIds: number[];
}

interface RawCounter {
  id: number;
  number: number;
  name: string;
  state: CounterState;
  officer_id: number | null;
  officer_name: string | null;
  current_ticket_id: string | null;
  priority_streak: number;
  priority_mode: PriorityMode;
  active: number;
  service_ids: string | null;
}

const toRow = (r: RawCounter): CounterRow => ({
  id: r.id,
  number: r.number,
  name: r.name,
  state: r.state,
  officerId: r.officer_id,
  officerName: r.officer_name,
  currentTicketId: r.current_ticket_id,
  priorityStreak: r.priority_streak,
  priorityMode: r.priority_mode,
  active: r.active === 1,
  serviceIds: r.service_ids ? (JSON.parse(r.service_ids) as number[]) : [],
});

const SELECT = `SELECT c.*, u.username AS officer_name,
  (SELECT json_group_array(service_id) FROM (SELECT service_id FROM counter_services cs WHERE cs.counter_id = c.id ORDER BY position)) AS service_ids
  FROM counters c LEFT JOIN users u ON u.id = c.officer_id`;

export function createCounterRepo(db: Db) {
  const all = db.prepare<[], RawCounter>(`${SELECT} ORDER BY c.number`);
  const byId = db.prepare<[number], RawCounter>(`${SELECT} WHERE c.id = ?`);
  const insert = db.prepare('INSERT INTO counters (number, name, priority_mode) VALUES (?, ?, ?)');
  const insertService = db.prepare('INSERT INTO counter_services (counter_id, service_id, position) VALUES (?, ?, ?)');
  const setStateStmt = db.prepare('UPDATE counters SET state = ?, officer_id = ? WHERE id = ?');
  const setCurrentStmt = db.prepare('UPDATE counters SET current_ticket_id = ? WHERE id = ?');
  const setStreakStmt = db.prepare('UPDATE counters SET priority_streak = ? WHERE id = ?');
  const openForService = db.prepare<[number], { n: number }>(
    `SELECT COUNT(*) AS n FROM counters c JOIN counter_services cs ON cs.counter_id = c.id WHERE cs.service_id = ? AND c.state = 'open'`,
  );
  const withCurrent = db.prepare<[], { id: number }>('SELECT id FROM counters WHERE current_ticket_id IS NOT NULL');
  const updateStmt = db.prepare('UPDATE counters SET number = ?, name = ?, active = ?, priority_mode = ? WHERE id = ?');
  const clearServices = db.prepare('DELETE FROM counter_services WHERE counter_id = ?');
  const byNumber = db.prepare<[number], { id: number }>('SELECT id FROM counters WHERE number = ?');
  return {
    idByNumber: (n: number): number | undefined => byNumber.get(n)?.id,
    /** Renames, renumbers, retires, and sets the services in order (inside the caller's transaction). */
    update(id: number, c: { number: number; name: string; active: boolean; serviceIds: number[]; priorityMode: PriorityMode }) {
      updateStmt.run(c.number, c.name, c.active ? 1 : 0, c.priorityMode, id);
      clearServices.run(id);
      c.serviceIds.forEach((s, i) => insertService.run(id, s, i));
    },
    list: (): CounterRow[] => all.all().map(toRow),
    get: (id: number): CounterRow | undefined => {
      const r = byId.get(id);
      return r ? toRow(r) : undefined;
    },
    create(number: number, name: string, serviceIds: number[], priorityMode: PriorityMode = 'normal'): number {
      const id = Number(insert.run(number, name, priorityMode).lastInsertRowid);
      serviceIds.forEach((s, i) => insertService.run(id, s, i));
      return id;
    },
    setState: (id: number, state: CounterState, officerId: number | null) => void setStateStmt.run(state, officerId, id),
    setCurrent: (id: number, ticketId: string | null) => void setCurrentStmt.run(ticketId, id),
    setStreak: (id: number, streak: number) => void setStreakStmt.run(streak, id),
    openCountFor: (serviceId: number): number => openForService.get(serviceId)?.n ?? 0,
    idsWithCurrent: (): number[] => withCurrent.all().map((r) => r.id),
  };
}
export type CounterRepo = ReturnType<typeof createCounterRepo>;
