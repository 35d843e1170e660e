import type { ConnectionStatus as ClientStatus } from '@luot/client';

/**
 * The connection status the pages show (ui/status-banner.tsx). It is @luot/client's status with
 * 'live' still called 'connected', the word the banner checks; once the banner reads 'live' this
 * mapping goes and the pages use @luot/client's ConnectionStatus as it is.
 */
export type ConnectionStatus = Exclude<ClientStatus, 'live'> | 'connected';

export function pageStatus(status: ClientStatus): ConnectionStatus {
  return status === 'live' ? 'connected' : status;
}
