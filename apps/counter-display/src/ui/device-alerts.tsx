import type { DeviceAlert } from '@luot/protocol';
import { formatServerTime } from '../lib/format.js';

/** Active device alerts (a kiosk printer out of paper, a kiosk offline), newest first. */
export function DeviceAlertList({ alerts }: { alerts: DeviceAlert[] }) {
  return (
    <ul className="device-alerts">
      {alerts.map((a) => (
        <li key={`${a.deviceId}:${a.code}`} className="alert" data-testid="alert" data-code={a.code} data-device={a.deviceId}>
          <strong>{a.deviceName}</strong>
          <span className="bi">
            <span lang="vi">{a.messageVi}</span>
            <span className="en" lang="en">
              {a.message}
            </span>
          </span>
          <time className="muted" dateTime={a.at}>
            {formatServerTime(a.at)}
          </time>
        </li>
      ))}
    </ul>
  );
}
