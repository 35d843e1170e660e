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

/** "14:05" in the center's clock (the browser's zone is the center's on its own LAN). */
export function formatClock(ms: number): string {
  return new Date(ms).toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit' });
}
