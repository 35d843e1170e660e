import type { Service } from '@luot/protocol';

/** "3:07" or "1:02:03": how long a citizen has been served or has waited. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

export function serviceName(services: readonly Service[], id: number): { vi: string; en: string } {
  return services.find((s) => s.id === id)?.name ?? { vi: `Lĩnh vực ${id}`, en: `Service ${id}` };
}

/**
 * "14:05" on the center's clock: its time zone comes with the snapshot, because a TV box or PC
 * left on UTC would otherwise show the wrong hour in the waiting room.
 */
export function formatClock(ms: number, timeZone?: string): string {
  return new Date(ms).toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) });
}

/**
 * "09:39:53 23/11/2026" from a server time (ISO with the center's offset), read as written: the
 * center's wall clock, whatever the browser's zone.
 */
export function formatServerTime(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(iso);
  return m ? `${m[4]}:${m[5]}:${m[6]} ${m[3]}/${m[2]}/${m[1]}` : iso;
}
