import type { DeviceAlert, Snapshot } from '@luot/protocol';
import { useEffect, useState } from 'react';
import { io } from 'socket.io-client';
import { adminApi } from './admin-api.js';
import type { ConnectionStatus, QueueSocket } from '../lib/queue-client.js';
import { connectQueue } from '../lib/queue-client.js';

const alertKey = (a: DeviceAlert) => `${a.deviceId}:${a.code}`;

/**
 * The live queue (same client and seq rules as the counter and the TV) plus device alerts, over
 * one socket: `device:alert` goes only to staff sockets, so the socket is opened here with the
 * admin token and handed to the queue client. The active alerts are re-read on every (re)connect,
 * since alerts raised or cleared while the socket was down are not replayed.
 */
export function useAdminQueue(token: string) {
  const [state, setState] = useState<Snapshot | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [alerts, setAlerts] = useState<DeviceAlert[]>([]);

  useEffect(() => {
    let closed = false;
    const merge = (a: DeviceAlert) =>
      setAlerts((list) => {
        const others = list.filter((x) => alertKey(x) !== alertKey(a));
        return a.active ? [a, ...others] : others;
      });
    const refresh = () => {
      adminApi<DeviceAlert[]>('GET', '/alerts', token)
        .then((list) => {
          if (!closed) setAlerts([...list].sort((a, b) => b.at.localeCompare(a.at)));
        })
        .catch(() => {
          // The connection banner already says the server is unreachable.
        });
    };
    const open = (t: string): QueueSocket => {
      const socket: QueueSocket = io({ auth: { token: t }, transports: ['websocket', 'polling'], reconnectionDelay: 500, reconnectionDelayMax: 3000 });
      socket.on('device:alert', merge);
      return socket;
    };
    const client = connectQueue(
      token,
      {
        onState: (s) => setState(s),
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
