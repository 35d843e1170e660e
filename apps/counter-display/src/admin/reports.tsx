import type { Report, ReportRow } from '@luot/protocol';
import { ReportQuery } from '@luot/protocol';
import type { ReactNode } from 'react';
import { useEffect, useMemo, useState } from 'react';
import type { ApiError } from '../lib/api.js';
import { toApiError } from '../lib/api.js';
import { Bi } from '../ui/bi.js';
import { ErrorMessage } from '../ui/error-message.js';
import { downloadFile } from './admin-api.js';
import { ArrivalsChart, SatisfactionChart, SCORE_LABELS } from './charts.js';
import type { PeriodKind } from './period.js';
import { isoDay, periodRange } from './period.js';
import { useAdmin, validate } from './session.js';

const fmt = (n: number | null, digits = 1) => (n === null ? '—' : n.toLocaleString('vi-VN', { maximumFractionDigits: digits, minimumFractionDigits: 0 }));

const KINDS: { id: PeriodKind; vi: string; en: string }[] = [
  { id: 'day', vi: 'Ngày', en: 'Day' },
  { id: 'week', vi: 'Tuần', en: 'Week' },
  { id: 'month', vi: 'Tháng', en: 'Month' },
  { id: 'custom', vi: 'Khoảng tùy chọn', en: 'Custom range' },
];

/** Reports for a day, week, month or range: tables, two charts, CSV and Excel. */
export function Reports() {
  const { call, token } = useAdmin();
  const today = isoDay(new Date());
  const [kind, setKind] = useState<PeriodKind>('day');
  const [anchor, setAnchor] = useState(today);
  const [custom, setCustom] = useState({ from: today, to: today });
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const [n, setN] = useState(0);
  const range = useMemo(() => (kind === 'custom' ? custom : periodRange(kind, anchor)), [kind, anchor, custom]);
  const qs = `from=${range.from}&to=${range.to}`;

  useEffect(() => {
    const v = validate(ReportQuery, range);
    if (!v.ok) {
      setError(v.error);
      return;
    }
    let live = true;
    setLoading(true);
    setError(null);
    call<Report>('GET', `/admin/reports?${qs}`)
      .then((r) => live && setReport(r))
      .catch((e: unknown) => live && setError(toApiError(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [call, qs, range, n]);

  async function download(ext: 'csv' | 'xlsx') {
    setError(null);
    try {
      await downloadFile(`/admin/reports.${ext}?${qs}`, token, `luot-bao-cao-${range.from}-${range.to}.${ext}`);
    } catch (e) {
      setError(toApiError(e));
    }
  }

  return (
    <section className="reports" data-testid="reports" data-from={report?.from ?? ''} data-to={report?.to ?? ''} data-loading={loading}>
      <div className="panel-card period">
        <div className="kinds" role="radiogroup" aria-label="Kỳ báo cáo / Period">
          {KINDS.map((k) => (
            <button key={k.id} type="button" role="radio" aria-checked={kind === k.id} className={kind === k.id ? 'active' : ''} onClick={() => setKind(k.id)} data-kind={k.id}>
              <Bi vi={k.vi} en={k.en} />
            </button>
          ))}
        </div>
        {kind === 'custom' ? (
          <div className="row">
            <label className="field">
              <Bi vi="Từ ngày" en="From" />
              <input type="date" name="from" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.target.value })} />
            </label>
            <label className="field">
              <Bi vi="Đến ngày" en="To" />
              <input type="date" name="to" value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.target.value })} />
            </label>
          </div>
        ) : (
          <label className="field">
            <Bi vi="Chọn ngày" en="Pick a day" />
            <input type="date" name="anchor" value={anchor} onChange={(e) => e.target.value && setAnchor(e.target.value)} />
          </label>
        )}
        <p className="range" data-testid="report-range">
          {range.from} → {range.to}
        </p>
        <div className="downloads">
          <button type="button" onClick={() => setN((x) => x + 1)} data-testid="report-refresh">
            <Bi vi="Tải lại" en="Refresh" />
          </button>
          <button type="button" onClick={() => void download('csv')} data-testid="download-csv">
            <Bi vi="Tải CSV" en="Download CSV" />
          </button>
          <button type="button" className="primary" onClick={() => void download('xlsx')} data-testid="download-xlsx">
            <Bi vi="Tải Excel" en="Download Excel" />
          </button>
        </div>
      </div>
      <ErrorMessage error={error} onDismiss={() => setError(null)} />
      {report && <ReportBody report={report} />}
    </section>
  );
}

function ReportBody({ report }: { report: Report }) {
  const t = report.totals;
  return (
    <>
      <div className="totals" data-testid="report-totals">
        <Stat vi="Đã cấp số" en="Issued" value={t.issued} id="issued" />
        <Stat vi="Đã phục vụ" en="Served" value={t.served} id="served" />
        <Stat vi="Vắng mặt" en="No-show" value={t.noShow} id="noShow" />
        <Stat vi="Đã hủy" en="Cancelled" value={t.cancelled} id="cancelled" />
        <Stat vi="Chờ TB (phút)" en="Avg wait (min)" value={fmt(t.wait.avg)} id="waitAvg" />
        <Stat vi="Phục vụ TB (phút)" en="Avg service (min)" value={fmt(t.service.avg)} id="serviceAvg" />
        <Stat vi="Lượt đánh giá" en="Ratings" value={t.ratings.count} id="ratings" />
        <Stat vi="Điểm TB (1–4)" en="Avg score (1–4)" value={fmt(t.ratings.average, 2)} id="ratingAvg" />
      </div>
      <div className="chart-grid">
        <section className="panel-card">
          <h2>
            <Bi vi="Lượt đến theo giờ" en="Arrivals per hour" />
          </h2>
          <ArrivalsChart perHour={report.arrivalsByHour} />
        </section>
        <section className="panel-card">
          <h2>
            <Bi vi="Mức độ hài lòng" en="Satisfaction" />
          </h2>
          {report.satisfaction.total === 0 ? (
            <p className="muted">Chưa có đánh giá. / No ratings yet.</p>
          ) : (
            <>
              <SatisfactionChart counts={report.satisfaction.counts} />
              <ul className="shares" data-testid="satisfaction">
                {(['4', '3', '2', '1'] as const).map((k) => (
                  <li key={k} data-score={k}>
                    <span className="swatch" style={{ background: SCORE_LABELS[k].color }} />
                    <Bi vi={SCORE_LABELS[k].vi} en={SCORE_LABELS[k].en} />
                    <strong>
                      {report.satisfaction.counts[k]} · {fmt(report.satisfaction.percent[k])} %
                    </strong>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      </div>
      <RowTable
        title={<Bi vi="Theo lĩnh vực" en="By service" />}
        testId="report-by-service"
        rows={report.byService.map((r) => ({ key: r.code, label: <Bi vi={r.name.vi} en={r.name.en} />, row: r }))}
        total={report.totals}
      />
      <RowTable title={<Bi vi="Theo quầy" en="By counter" />} testId="report-by-counter" rows={report.byCounter.map((r) => ({ key: String(r.number), label: `${r.number} · ${r.name}`, row: r }))} />
      <RowTable title={<Bi vi="Theo cán bộ" en="By officer" />} testId="report-by-officer" rows={report.byOfficer.map((r) => ({ key: r.username, label: r.username, row: r }))} />
    </>
  );
}

function Stat({ vi, en, value, id }: { vi: string; en: string; value: ReactNode; id: string }) {
  return (
    <div className="stat" data-stat={id}>
      <span className="value">{value}</span>
      <Bi vi={vi} en={en} />
    </div>
  );
}

function RowTable({ title, rows, testId, total }: { title: ReactNode; rows: { key: string; label: ReactNode; row: ReportRow }[]; testId: string; total?: ReportRow }) {
  const cells = (r: ReportRow) => (
    <>
      <td className="num" data-col="issued">
        {r.issued}
      </td>
      <td className="num" data-col="served">
        {r.served}
      </td>
      <td className="num" data-col="noShow">
        {r.noShow}
      </td>
      <td className="num" data-col="cancelled">
        {r.cancelled}
      </td>
      <td className="num" data-col="waitAvg">
        {fmt(r.wait.avg)}
      </td>
      <td className="num" data-col="waitMedian">
        {fmt(r.wait.median)}
      </td>
      <td className="num" data-col="waitP90">
        {fmt(r.wait.p90)}
      </td>
      <td className="num" data-col="serviceAvg">
        {fmt(r.service.avg)}
      </td>
      <td className="num" data-col="serviceMedian">
        {fmt(r.service.median)}
      </td>
      <td className="num" data-col="serviceP90">
        {fmt(r.service.p90)}
      </td>
      <td className="num" data-col="ratings">
        {r.ratings.count}
      </td>
      <td className="num" data-col="ratingAvg">
        {fmt(r.ratings.average, 2)}
      </td>
    </>
  );
  return (
    <section className="panel-card">
      <h2>{title}</h2>
      <div className="table-scroll">
        <table className="grid report" data-testid={testId}>
          <thead>
            <tr>
              <th rowSpan={2} />
              <th rowSpan={2} className="num">
                <Bi vi="Số phiếu" en="Tickets" />
              </th>
              <th rowSpan={2} className="num">
                <Bi vi="Phục vụ" en="Served" />
              </th>
              <th rowSpan={2} className="num">
                <Bi vi="Vắng" en="No-show" />
              </th>
              <th rowSpan={2} className="num">
                <Bi vi="Hủy" en="Cancelled" />
              </th>
              <th colSpan={3} className="group">
                <Bi vi="Thời gian chờ (phút)" en="Wait (minutes)" />
              </th>
              <th colSpan={3} className="group">
                <Bi vi="Thời gian phục vụ (phút)" en="Service time (minutes)" />
              </th>
              <th colSpan={2} className="group">
                <Bi vi="Đánh giá" en="Ratings" />
              </th>
            </tr>
            <tr>
              <th className="num">TB / avg</th>
              <th className="num">Trung vị / median</th>
              <th className="num">P90</th>
              <th className="num">TB / avg</th>
              <th className="num">Trung vị / median</th>
              <th className="num">P90</th>
              <th className="num">Lượt / count</th>
              <th className="num">Điểm / score</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={13} className="muted">
                  Không có dữ liệu / No data
                </td>
              </tr>
            )}
            {rows.map((r) => (
              <tr key={r.key} data-row={r.key}>
                <th scope="row">{r.label}</th>
                {cells(r.row)}
              </tr>
            ))}
          </tbody>
          {total && (
            <tfoot>
              <tr data-row="total">
                <th scope="row">
                  <Bi vi="Tổng" en="Total" />
                </th>
                {cells(total)}
              </tr>
            </tfoot>
          )}
        </table>
      </div>
    </section>
  );
}
