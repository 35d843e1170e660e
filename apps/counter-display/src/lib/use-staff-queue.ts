import { ROUTES, type DeviceAlert, type Snapshot } from '@luot/protocol';
import { useEffect, useRef, useState } from 'react';
import { api } from './api.js';
import { useQueueClient, type StateCause } from './use-queue.js';

const alertKey = (a: DeviceAlert) => `${a.deviceId}:${a.code}`;

/**
 * The live queue for staff screens (counter, admin dashboard) plus device alerts (a kiosk out of
 * paper, a kiosk offline) over the same socket: `device:alert` goes only to staff sockets. The
 * active alerts are re-read each time the connection is live again, since alerts raised or
 * cleared while it was down are not replayed.
 */
export function useStaffQueue(token: string | null, onChange?: (state: Snapshot, cause: StateCause) => void) {
  const [alerts, setAlerts] = useState<DeviceAlert[]>([]);
  const tokenRef = useRef(token);
  tokenRef.current = token;

  const { state, status } = useQueueClient(token, onChange, {
    onDeviceAlert: (a) =>
      setAlerts((list) => {
        const others = list.filter((x) => alertKey(x) !== alertKey(a));
        return a.active ? [a, ...others] : others;
      }),
    onLive: () => {
      const asked = tokenRef.current;
      if (!asked) return;
      api(ROUTES.alerts, { token: asked })
        .then((list) => {
          if (tokenRef.current === asked) setAlerts([...list].sort((a, b) => b.at.localeCompare(a.at)));
        })
        .catch(() => {
          // The connection banner already says the server is unreachable.
        });
    },
  });
  useEffect(() => {
    if (!token) setAlerts([]);
  }, [token]);

  return { state, status, alerts };
}
