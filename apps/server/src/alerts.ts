import type { DeviceAlert } from '@luot/protocol';
import { toIsoWithOffset } from '@luot/domain';
import type { Clock } from './clock.js';
import { AppError } from './errors.js';

/** Distinct problems one device may keep active at once (a kiosk has a printer and a network). */
export const MAX_ACTIVE_ALERTS_PER_DEVICE = 5;

/**
 * Codes the server raises itself about a device or itself; a device may not raise or clear them
 * (the backup ones: ops/backup-alerts.ts).
 */
const SERVER_CODES = new Set(['device_offline', 'backup_failed', 'backup_folder_missing']);

/**
 * Device trouble reports (printer out of paper, ...). Kept in memory: they describe the present,
 * and a device re-reports after a server restart when it tries again.
 */
export function createAlerts(clock: Clock, timeZone: () => string, publish: (a: DeviceAlert) => void) {
  const active = new Map<string, DeviceAlert>();
  const keyOf = (deviceId: number, code: string) => `${deviceId}:${code}`;

  function report(input: Omit<DeviceAlert, 'at'>): DeviceAlert {
    const alert: DeviceAlert = { ...input, at: toIsoWithOffset(clock.now(), timeZone()) };
    const key = keyOf(input.deviceId, input.code);
    if (input.active) active.set(key, alert);
    else active.delete(key);
    publish(alert);
    return alert;
  }

  return {
    /** The server's own report about a device or itself (offline, storage): never capped. */
    report,
    /**
     * A device's own report (POST /alerts). Each active alert is pushed to every staff screen, so
     * one device keeps at most MAX_ACTIVE_ALERTS_PER_DEVICE distinct codes active: a further new
     * code is refused (TOO_MANY_REQUESTS, saying so) until one is cleared. The all-clear of a code
     * that is not active changes nothing and is not pushed.
     */
    reportByDevice(input: Omit<DeviceAlert, 'at'>): DeviceAlert {
      if (SERVER_CODES.has(input.code)) throw new AppError('INVALID_INPUT', `The code "${input.code}" is raised by the server only.`);
      const key = keyOf(input.deviceId, input.code);
      if (!input.active && !active.has(key)) return { ...input, at: toIsoWithOffset(clock.now(), timeZone()) };
      if (input.active && !active.has(key)) {
        const own = [...active.values()].filter((a) => a.deviceId === input.deviceId && !SERVER_CODES.has(a.code)).length;
        if (own >= MAX_ACTIVE_ALERTS_PER_DEVICE) {
          throw new AppError('TOO_MANY_REQUESTS', `A device keeps at most ${MAX_ACTIVE_ALERTS_PER_DEVICE} alerts active; clear one (active: false) first.`);
        }
      }
      return report(input);
    },
    /** A revoked device's alerts are over: each is cleared on the staff screens. */
    clearDevice(deviceId: number) {
      for (const a of [...active.values()]) if (a.deviceId === deviceId) report({ ...a, active: false });
    },
    active: (): DeviceAlert[] => [...active.values()],
  };
}
export type Alerts = ReturnType<typeof createAlerts>;
