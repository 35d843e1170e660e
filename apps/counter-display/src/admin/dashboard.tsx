import type { Counter, DeviceAlert, DissatisfiedRating, Report, Service, Snapshot } from '@luot/protocol';
import { RATING_LEVEL_TEXT, RATING_REASON_TEXT, ROUTES } from '@luot/protocol';
import { useEffect, useRef, useState } from 'react';
import type { ApiError } from '../lib/api.js';
import { toApiError } from '../lib/api.js';
import { formatDuration, formatServerTime } from '../lib/format.js';
import { ErrorMessage } from '../ui/error-message.js';
import { useNow } from '../lib/use-queue.js';
import { Bi } from '../ui/bi.js';
import { StatusBanner } from '../ui/status-banner.js';
import { useAdmin } from './session.js';
import { waitLevel } from './dashboard-level.js';
import { useStaffQueue } from '../lib/use-staff-queue.js';
import { DeviceAlertList } from '../ui/device-alerts.js';
import { fmt } from './reports.js';
import { BackupsCard, backupAlertKey } from './backups.js';
import { ProvinceLinkCard } from './province-link.js';

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
      <DissatisfiedList refreshKey={ratingAlertKey(alerts)} />
      <ProvinceLinkCard />
      <BackupsCard refreshKey={backupAlertKey(alerts)} />
      {state && <TodayTotals day={state.businessDay} seq={state.seq} waiting={state.waiting.length} refreshKey={ratingAlertKey(alerts)} />}
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

/** Changes whenever the server updates its "dissatisfied ratings not yet seen" staff alert. */
function ratingAlertKey(alerts: DeviceAlert[]): string {
  const a = alerts.find((x) => x.code === 'rating_dissatisfied');
  return a ? `${a.at} ${a.messageVi}` : '';
}

/** Re-reads after `delayMs` once something changed, coalescing a burst of changes into one read. */
function useSettledKey(key: string, delayMs: number): string {
  const [settled, setSettled] = useState(key);
  useEffect(() => {
    const t = setTimeout(() => setSettled(key), delayMs);
    return () => clearTimeout(t);
  }, [key, delayMs]);
  return settled;
}

/**
 * Today's totals, the same figures as the day's report (summed live by the server): read again
 * a moment after the queue moves (each event's seq), and when a rating arrives.
 */
function TodayTotals({ day, seq, waiting, refreshKey }: { day: string; seq: number; waiting: number; refreshKey: string }) {
  const { call } = useAdmin();
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const key = useSettledKey(`${day} ${seq} ${refreshKey}`, 1500);
  useEffect(() => {
    let live = true;
    call(ROUTES.report, { query: { from: day, to: day } })
      .then((r) => {
        if (!live) return;
        setReport(r);
        setError(null);
      })
      .catch((e: unknown) => live && setError(toApiError(e)));
    return () => {
      live = false;
    };
  }, [call, day, key]);
  const t = report?.totals;
  const stat = (id: string, vi: string, en: string, value: string | number) => (
    <div className="stat" data-stat={id} key={id}>
      <span className="value">{value}</span>
      <Bi vi={vi} en={en} />
    </div>
  );
  return (
    <section className="panel-card" data-testid="today" data-day={day} data-loaded={!!report}>
      <h2>
        <Bi vi={`Hôm nay (${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)})`} en="Today" />
      </h2>
      <ErrorMessage error={error} />
      {t && report && (
        <div className="totals">
          {stat('issued', 'Đã cấp số', 'Issued', t.issued)}
          {stat('waiting', 'Đang chờ', 'Waiting', waiting)}
          {stat('served', 'Đã phục vụ', 'Served', t.served)}
          {stat('noShow', 'Vắng mặt', 'No-show', t.noShow)}
          {stat('priority', 'Ưu tiên', 'Priority', t.priority ?? '—')}
          {stat('waitAvg', 'Chờ TB (phút)', 'Avg wait (min)', fmt(t.wait.avg))}
          {stat('withinTarget', 'Gọi trong mục tiêu', 'Within target', report.withinTarget.percent === null ? '—' : `${fmt(report.withinTarget.percent)} %`)}
          {stat('satisfied', `Hài lòng (${report.satisfaction.satisfied}/${report.satisfaction.total})`, 'Satisfied', report.satisfaction.percentSatisfied === null ? '—' : `${fmt(report.satisfaction.percentSatisfied)} %`)}
        </div>
      )}
    </section>
  );
}

/**
 * Citizens who answered Không hài lòng (or worse) and the director has not looked at yet, newest
 * first, with the counter, the officer, the reason and the dossier code; "Đã xem" takes one off
 * the list (and the staff alert ends with the last). Read again when the server's alert changes.
 */
function DissatisfiedList({ refreshKey }: { refreshKey: string }) {
  const { call } = useAdmin();
  const [list, setList] = useState<DissatisfiedRating[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [n, setN] = useState(0);
  const busy = useRef(false);
  useEffect(() => {
    let live = true;
    call(ROUTES.unseenRatings)
      .then((l) => live && setList(l))
      .catch((e: unknown) => live && setError(toApiError(e)));
    return () => {
      live = false;
    };
  }, [call, refreshKey, n]);
  async function seen(id: number) {
    if (busy.current) return;
    busy.current = true;
    try {
      await call(ROUTES.markRatingSeen, { params: { id } });
      setList((l) => l?.filter((r) => r.id !== id) ?? null);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      busy.current = false;
      setN((x) => x + 1);
    }
  }
  if (!list?.length && !error) return null;
  return (
    <section className="panel-card alerts" data-testid="dissatisfied" aria-live="polite">
      <h2>
        <Bi vi={`Công dân chưa hài lòng, chưa xem (${list?.length ?? 0})`} en="Dissatisfied citizens, not yet seen" />
      </h2>
      <ErrorMessage error={error} onDismiss={() => setError(null)} />
      <table className="grid">
        <thead>
          <tr>
            <th>
              <Bi vi="Lúc" en="When" />
            </th>
            <th>
              <Bi vi="Số" en="Ticket" />
            </th>
            <th>
              <Bi vi="Quầy · cán bộ" en="Counter · officer" />
            </th>
            <th>
              <Bi vi="Đánh giá" en="Answer" />
            </th>
            <th>
              <Bi vi="Lý do" en="Reason" />
            </th>
            <th>
              <Bi vi="Mã hồ sơ" en="Dossier code" />
            </th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(list ?? []).map((r) => (
            <tr key={r.id} data-testid="dissatisfied-row" data-ticket={r.ticketNumber}>
              <td>{formatServerTime(r.at)}</td>
              <td>
                <strong className="ticket-num">{r.ticketNumber}</strong> <span className="muted">{r.service?.vi ?? ''}</span>
              </td>
              <td>
                {r.counter ? `Quầy ${r.counter.number}` : '—'} · {r.officer ?? '—'}
              </td>
              <td>
                <Bi vi={RATING_LEVEL_TEXT[r.level].vi} en={`${RATING_LEVEL_TEXT[r.level].en} (${r.scale})`} />
              </td>
              <td data-testid="dissatisfied-reason">{r.reason ? <Bi vi={RATING_REASON_TEXT[r.reason].vi} en={RATING_REASON_TEXT[r.reason].en} /> : <span className="muted">—</span>}</td>
              <td className="mono">{r.dossierCode ?? '—'}</td>
              <td>
                <button type="button" className="small" onClick={() => void seen(r.id)} data-testid="dissatisfied-seen">
                  <Bi vi="Đã xem" en="Seen" />
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
