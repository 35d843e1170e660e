import { createQueueClient, type ConnectionStatus, type QueueClientOptions, type StateCause } from '@luot/client';
import type { Snapshot } from '@luot/protocol';
import { useEffect, useRef, useState } from 'react';

export type { StateCause };

/**
 * The live queue for a screen, from @luot/client's queue client: null until the first snapshot.
 * `onChange` sees every change with its cause (the TV announces calls from it); it may change
 * between renders without reconnecting. While the connection is down the last state stays on
 * screen and `status` says so (the banner); it is never shown as live.
 */
export function useQueue(token: string | null, onChange?: (state: Snapshot, cause: StateCause) => void) {
  const { state, status } = useQueueClient(token, onChange);
  return { state, status };
}

/** The hook behind useQueue and useStaffQueue; `extra` adds options (device alerts) and `onLive` runs on each return to live. */
export function useQueueClient(
  token: string | null,
  onChange: ((state: Snapshot, cause: StateCause) => void) | undefined,
  extra: { onDeviceAlert?: QueueClientOptions['onDeviceAlert']; onLive?: () => void } = {},
) {
  const [state, setState] = useState<Snapshot | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const extraRef = useRef(extra);
  extraRef.current = extra;

  useEffect(() => {
    if (!token) return;
    const client = createQueueClient({
      token,
      onState(s, cause) {
        setState(s);
        onChangeRef.current?.(s, cause);
      },
      onStatus(s) {
        setStatus(s);
        if (s === 'live') extraRef.current.onLive?.();
      },
      onDeviceAlert: (a) => extraRef.current.onDeviceAlert?.(a),
    });
    // The network is back (a cable plugged in, Wi-Fi rejoined): try at once rather than after the backoff.
    const online = () => client.reconnectNow();
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('online', online);
      client.close();
    };
  }, [token]);

  return { state, status };
}

/** Re-renders every `ms` (for clocks and "served for 3:12" timers). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
