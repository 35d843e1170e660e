import type { ConnectionStatus } from '@luot/client';

/** Shown whenever the live connection is down: a screen must never look current when it is not. */
export function StatusBanner({ status }: { status: ConnectionStatus }) {
  if (status === 'live') return null;
  const connecting = status === 'connecting';
  return (
    <div className={`status-banner ${connecting ? 'connecting' : 'down'}`} role="alert" data-testid="connection-banner" data-status={status}>
      {connecting ? (
        <>
          <strong>Đang kết nối máy chủ…</strong> <span className="en">Connecting to the server…</span>
        </>
      ) : (
        <>
          <strong>Mất kết nối máy chủ — đang kết nối lại…</strong>{' '}
          <span className="en">Lost connection to the server — reconnecting…</span>
        </>
      )}
    </div>
  );
}
