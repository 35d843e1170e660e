import type { QueueEvent, Snapshot } from '@luot/protocol';
import { useEffect, useRef, useState } from 'react';
import type { ConnectionStatus } from './queue-client.js';
import { connectQueue } from './queue-client.js';

export type StateCause = { kind: 'snapshot'; previous: Snapshot | null } | { kind: 'event'; event: QueueEvent };

/**
 * The live queue state for a screen: null until the first snapshot. `onChange` sees every change
 * with its cause (the TV announces calls from it); it may change between renders without
 * reconnecting.
 */
export function useQueue(token: string | null, onChange?: (state: Snapshot, cause: StateCause) => void) {
  const [state, setState] = useState<Snapshot | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    if (!token) return;
    const client = connectQueue(token, {
      onState(s, cause) {
        setState(s);
        onChangeRef.current?.(s, cause);
      },
      onStatus: setStatus,
    });
    return () => client.close();
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
