import type { DeviceAlert, Snapshot } from '@luot/protocol';
import { useEffect, useRef, useState } from 'react';
import { api } from './api.js';
import type { ConnectionStatus, QueueSocket } from './queue-client.js';
import { connectQueue, openSocket } from './queue-client.js';
import type { StateCause } from './use-queue.js';

const alertKey = (a: DeviceAlert) => `${a.deviceId}:${a.code}`;

/**
 * The live queue for staff screens (counter, admin dashboard) plus device alerts (a kiosk out of
 * paper, a kiosk offline) over the same socket: `device:alert` goes only to staff sockets. The
 * active alerts are re-read on every (re)connect, since alerts raised or cleared while the
 * socket was down are not replayed.
 */
export function useStaffQueue(token: string | null, onChange?: (state: Snapshot, cause: StateCause) => void) {
  const [state, setState] = useState<Snapshot | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [alerts, setAlerts] = useState<DeviceAlert[]>([]);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    if (!token) return;
    let closed = false;
    const merge = (a: DeviceAlert) =>
      setAlerts((list) => {
        const others = list.filter((x) => alertKey(x) !== alertKey(a));
        return a.active ? [a, ...others] : others;
      });
    const refresh = () => {
      api<DeviceAlert[]>('GET', '/alerts', { token })
        .then((list) => {
          if (!closed) setAlerts([...list].sort((a, b) => b.at.localeCompare(a.at)));
        })
        .catch(() => {
          // The connection banner already says the server is unreachable.
        });
    };
    const open = (t: string): QueueSocket => {
      const socket = openSocket(t);
      socket.on('device:alert', merge);
      return socket;
    };
    const client = connectQueue(
      token,
      {
        onState: (s, cause) => {
          setState(s);
          onChangeRef.current?.(s, cause);
        },
        onStatus: (s) => {
          setStatus(s);
          if (s === 'connected') refresh();
        },
      },
      open,
    );
    return () => {
      closed = true;
      client.close();
    };
  }, [token]);

  return { state, status, alerts };
}
