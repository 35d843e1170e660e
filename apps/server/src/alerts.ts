import type { DeviceAlert } from '@luot/protocol';
import { toIsoWithOffset } from '@luot/domain';
import type { Clock } from './clock.js';

/**
 * Device trouble reports (printer out of paper, ...). Kept in memory: they describe the present,
 * and a device re-reports after a server restart when it tries again.
 */
export function createAlerts(clock: Clock, timeZone: () => string, publish: (a: DeviceAlert) => void) {
  const active = new Map<string, DeviceAlert>();
  return {
    report(input: Omit<DeviceAlert, 'at'>): DeviceAlert {
      const alert: DeviceAlert = { ...input, at: toIsoWithOffset(clock.now(), timeZone()) };
      const key = `${input.deviceId}:${input.code}`;
      if (input.active) active.set(key, alert);
      else active.delete(key);
      publish(alert);
      return alert;
    },
    active: (): DeviceAlert[] => [...active.values()],
  };
}
export type Alerts = ReturnType<typeof createAlerts>;
