import type { Counter, Service, Snapshot } from '@luot/protocol';
import { formatDuration } from '../lib/format.js';
import { useNow } from '../lib/use-queue.js';
import { Bi } from '../ui/bi.js';
import { StatusBanner } from '../ui/status-banner.js';
import { useAdmin } from './session.js';
import { waitLevel } from './dashboard-level.js';
import { useStaffQueue } from '../lib/use-staff-queue.js';
import { DeviceAlertList } from '../ui/device-alerts.js';

/** The oldest waiting ticket's issue time per service (the longest current wait). */
export function oldestWaiting(state: Snapshot): Map<number, number> {
  const out = new Map<number, number>();
  for (const t of state.waiting) {
    const at = Date.parse(t.issuedAt);
    const prev = out.get(t.serviceId);
    if (prev === undefined || at < prev) out.set(t.serviceId, at);
  }
  return out;
}

const STATE_LABEL: Record<Counter['state'], { vi: string; en: string }> = {
  open: { vi: 'Đang mở', en: 'Open' },
  paused: { vi: 'Tạm nghỉ', en: 'Paused' },
  closed: { vi: 'Đóng', en: 'Closed' },
};

export function Dashboard() {
  const { token } = useAdmin();
  const { state, status, alerts } = useStaffQueue(token);
  const now = useNow(1000);

  return (
    <section className="dashboard" data-testid="dashboard" data-seq={state?.seq ?? ''}>
      <StatusBanner status={status} />
      <section className="panel-card alerts" data-testid="alerts" aria-live="polite">
        <h2>
          <Bi vi="Cảnh báo thiết bị" en="Device alerts" />
        </h2>
        {alerts.length === 0 ? (
          <p className="muted" data-testid="no-alerts">
            Không có cảnh báo. <span className="en">No alerts.</span>
          </p>
        ) : (
          <DeviceAlertList alerts={alerts} />
        )}
      </section>
      {!state ? (
        <p className="muted">Đang tải… / Loading…</p>
      ) : (
        <div className="dash-grid">
          <ServiceTable services={state.services} oldest={oldestWaiting(state)} now={now} />
          <CounterTable counters={state.counters} services={state.services} now={now} />
        </div>
      )}
    </section>
  );
}

function ServiceTable({ services, oldest, now }: { services: Service[]; oldest: Map<number, number>; now: number }) {
  return (
    <section className="panel-card">
      <h2>
        <Bi vi="Hàng chờ theo lĩnh vực" en="Waiting per service" />
      </h2>
      <table className="grid">
        <thead>
          <tr>
            <th>
              <Bi vi="Lĩnh vực" en="Service" />
            </th>
            <th className="num">
              <Bi vi="Đang chờ" en="Waiting" />
            </th>
            <th className="num">
              <Bi vi="Chờ lâu nhất" en="Longest wait" />
            </th>
            <th className="num">
              <Bi vi="Mục tiêu" en="Target" />
            </th>
          </tr>
        </thead>
        <tbody>
          {services.map((s) => {
            const since = oldest.get(s.id);
            const wait = since === undefined ? null : Math.max(0, now - since);
            const level = waitLevel(wait, s.targetWaitMinutes);
            return (
              <tr key={s.id} className={`level-${level}`} data-testid={`dash-service-${s.code}`} data-level={level}>
                <td>
                  <Bi vi={s.name.vi} en={s.name.en} />
                  {!s.open && <span className="tag paused">Ngoài giờ / Closed</span>}
                </td>
                <td className="num big" data-testid="dash-waiting">
                  {s.waiting}
                </td>
                <td className="num" data-testid="dash-longest">
                  {wait === null ? '—' : formatDuration(wait)}
                  {level === 'amber' && <span className="level-note">Sắp quá hạn / Near target</span>}
                  {level === 'red' && <span className="level-note">Quá hạn / Over target</span>}
                </td>
                <td className="num muted">{s.targetWaitMinutes ? `${s.targetWaitMinutes} ph / min` : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function CounterTable({ counters, services, now }: { counters: Counter[]; services: Service[]; now: number }) {
  const list = counters.filter((c) => c.active !== false).sort((a, b) => a.number - b.number);
  return (
    <section className="panel-card">
      <h2>
        <Bi vi="Các quầy" en="Counters" />
      </h2>
      <table className="grid">
        <thead>
          <tr>
            <th>
              <Bi vi="Quầy" en="Counter" />
            </th>
            <th>
              <Bi vi="Trạng thái" en="State" />
            </th>
            <th>
              <Bi vi="Cán bộ" en="Officer" />
            </th>
            <th>
              <Bi vi="Đang phục vụ" en="Serving" />
            </th>
          </tr>
        </thead>
        <tbody>
          {list.map((c) => {
            const t = c.currentTicket;
            const svc = t ? services.find((s) => s.id === t.serviceId) : undefined;
            return (
              <tr key={c.id} data-testid={`dash-counter-${c.number}`} data-state={c.state}>
                <td>
                  <strong>{c.number}</strong> <span className="muted">{c.name}</span>
                </td>
                <td className={`state ${c.state}`}>
                  <Bi {...STATE_LABEL[c.state]} />
                </td>
                <td>{c.officer?.username ?? '—'}</td>
                <td data-testid="dash-current">
                  {t ? (
                    <>
                      <strong className="ticket-num">{t.number}</strong> <span className="muted">{svc?.name.vi ?? ''}</span>{' '}
                      {t.calledAt && <span className="muted">· {formatDuration(now - Date.parse(t.calledAt))}</span>}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
