import { createQueueClient, type ConnectionStatus } from '@luot/client';
import type { Snapshot } from '@luot/protocol';

/**
 * The kiosk's live view of the queue (service buttons: open, waiting, estimate), from
 * @luot/client's queue client like every screen: snapshot, seq events, a fresh snapshot after
 * every reconnect, reconnecting after any disconnect (also the server's own at a restart). The
 * buttons show only while the status is 'live'; otherwise "Đang kết nối…".
 */
export type { ConnectionStatus };

export interface QueueConnectionOptions {
  /** The server's origin; omitted: the page's own (the server serves /kiosk). */
  url?: string;
  token: string;
  onState(state: Snapshot): void;
  onStatus(status: ConnectionStatus): void;
}

export function connectQueue(opts: QueueConnectionOptions): () => void {
  const client = createQueueClient({
    ...(opts.url !== undefined ? { url: opts.url } : {}),
    token: opts.token,
    onState: (state) => opts.onState(state),
    onStatus: (status) => opts.onStatus(status),
  });
  // The network is back: try at once rather than after the backoff.
  const online = () => client.reconnectNow();
  window.addEventListener('online', online);
  return () => {
    window.removeEventListener('online', online);
    client.close();
  };
}
