import type { Logger } from 'pino';
import type { Alerts } from './alerts.js';
import type { DeviceRepo } from './db/device.repo.js';
import type { Actor } from './queue/actor.js';

/** A kiosk or TV as the socket layer knows it from its token. */
export type DeviceActor = Extract<Actor, { kind: 'device' }>;

/**
 * What staff read. A display device is a waiting-room TV or a rating tablet at a counter (both
 * pair as `display`): the text names the kind, and the alert carries the device's own name
 * ("TV phòng chờ", "Máy đánh giá quầy 1") to tell which.
 */
export const OFFLINE_TEXT = {
  kiosk: { message: 'The ticket kiosk is offline.', messageVi: 'Máy lấy số mất kết nối.' },
  display: { message: 'A screen (waiting-room TV or rating tablet) is offline.', messageVi: 'Màn hình (TV phòng chờ hoặc máy đánh giá) mất kết nối.' },
};

export interface PresenceDeps {
  alerts: Pick<Alerts, 'report'>;
  /** A revoked device's absence is expected: it raises nothing. */
  devices: Pick<DeviceRepo, 'get'>;
  logger: Pick<Logger, 'error'>;
  /** A device without a connection this long raises the alert (the server's default is 60 s). */
  offlineAfterMs: number;
}

/**
 * Staff learn that a kiosk or TV went away: a device that cannot reach the server cannot say so
 * itself. Fed by the socket layer with each device connection that opens and closes; a device may
 * hold several (two tabs, a reload overlapping the old page), and is gone when the last one
 * closes. A short gap (Wi-Fi roaming, a page reload) raises nothing; the alert is cleared when
 * the device is back.
 */
export function createPresence({ alerts, devices, logger, offlineAfterMs }: PresenceDeps) {
  const online = new Map<number, number>();
  const timers = new Map<number, NodeJS.Timeout>();
  const alerted = new Set<number>();
  const alert = (actor: DeviceActor, active: boolean) =>
    alerts.report({ deviceId: actor.deviceId, deviceName: actor.name, code: 'device_offline', ...OFFLINE_TEXT[actor.role], active });

  return {
    connected(actor: DeviceActor) {
      online.set(actor.deviceId, (online.get(actor.deviceId) ?? 0) + 1);
      clearTimeout(timers.get(actor.deviceId));
      timers.delete(actor.deviceId);
      if (alerted.delete(actor.deviceId)) alert(actor, false);
    },
    disconnected(actor: DeviceActor) {
      const n = (online.get(actor.deviceId) ?? 1) - 1;
      if (n > 0) return void online.set(actor.deviceId, n);
      online.delete(actor.deviceId);
      const t = setTimeout(() => {
        timers.delete(actor.deviceId);
        try {
          if (online.has(actor.deviceId) || devices.get(actor.deviceId)?.revoked) return;
          alerted.add(actor.deviceId);
          alert(actor, true);
        } catch (err) {
          // A timer's exception would end the process: an unreadable database must not.
          logger.error({ err, deviceId: actor.deviceId }, 'device offline check failed');
        }
      }, offlineAfterMs);
      t.unref();
      timers.set(actor.deviceId, t);
    },
  };
}
export type Presence = ReturnType<typeof createPresence>;
