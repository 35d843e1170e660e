import type { RatingScale, Report, ReportRow, ServiceReportRow } from '@luot/protocol';
import { RATING_LEVEL_TEXT, RATING_LEVELS, RATING_REASON_TEXT, RATING_REASONS, ratingLevels, ReportQuery, ROUTES } from '@luot/protocol';
import type { ReactNode } from 'react';
import { useEffect, useMemo, useState } from 'react';
import type { ApiError } from '../lib/api.js';
import { toApiError } from '../lib/api.js';
import { Bi } from '../ui/bi.js';
import { ErrorMessage } from '../ui/error-message.js';
import { adminClient, downloadFile } from './admin-api.js';
import { ArrivalsChart, LEVEL_COLORS, SatisfactionChart, TrendChart } from './charts.js';
import { Saved } from './form-bits.js';
import type { PeriodKind } from './period.js';
import { isoDay, periodName, periodRange, trendPoints, trendUnit } from './period.js';
import { useAdmin, validate } from './session.js';

/** Numbers as a Vietnamese reader writes them: "20,8". */
export const fmt = (n: number | null | undefined, digits = 1) => (n === null || n === undefined ? '—' : n.toLocaleString('vi-VN', { maximumFractionDigits: digits, minimumFractionDigits: 0 }));
const pct = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `${fmt(n)} %`);

const KINDS: { id: PeriodKind; vi: string; en: string }[] = [
  { id: 'day', vi: 'Ngày', en: 'Day' },
  { id: 'week', vi: 'Tuần', en: 'Week' },
  { id: 'month', vi: 'Tháng', en: 'Month' },
  { id: 'quarter', vi: 'Quý', en: 'Quarter' },
  { id: 'year', vi: 'Năm', en: 'Year' },
  { id: 'custom', vi: 'Khoảng tùy chọn', en: 'Custom range' },
];

/** Reports for a day, week, month, quarter, year or range: tables, charts, CSV and Excel. */
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
    call(ROUTES.report, { query: range })
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
      await downloadFile(adminClient(token).download(ext === 'csv' ? ROUTES.reportCsv : ROUTES.reportXlsx, { query: range }), `luot-bao-cao-${range.from}-${range.to}.${ext}`);
    } catch (e) {
      setError(toApiError(e));
    }
  }

  const name = periodName(kind, anchor, range);
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
            <Bi vi="Chọn ngày trong kỳ" en="A day in the period" />
            <input type="date" name="anchor" value={anchor} onChange={(e) => e.target.value && setAnchor(e.target.value)} />
          </label>
        )}
        <p className="range" data-testid="report-range">
          <strong data-testid="report-period">{name.vi}</strong> · {range.from} → {range.to}
        </p>
        <div className="downloads">
          <button type="button" onClick={() => setN((x) => x + 1)} data-testid="report-refresh">
            <Bi vi="Tải lại" en="Refresh" />
          </button>
          <button type="button" onClick={() => void download('csv')} data-testid="download-csv" title="Dấu ; giữa các cột, dấu , thập phân (Excel tiếng Việt) / ; between columns, , decimals">
            <Bi vi="Tải CSV" en="Download CSV" />
          </button>
          <button type="button" className="primary" onClick={() => void download('xlsx')} data-testid="download-xlsx">
            <Bi vi="Tải Excel" en="Download Excel" />
          </button>
        </div>
      </div>
      <ErrorMessage error={error} onDismiss={() => setError(null)} />
      {report && <ReportBody report={report} unit={trendUnit(range)} />}
      <RatingScaleSetting />
    </section>
  );
}

function ReportBody({ report, unit }: { report: Report; unit: 'day' | 'month' }) {
  const t = report.totals;
  const s = report.satisfaction;
  const points = useMemo(() => trendPoints(report.byDay, unit), [report.byDay, unit]);
  return (
    <>
      <div className="totals" data-testid="report-totals">
        <Stat vi="Đã cấp số" en="Issued" value={t.issued} id="issued" />
        <Stat vi="Ưu tiên" en="Priority" value={t.priority ?? '—'} id="priority" />
        <Stat vi="Đã phục vụ" en="Served" value={t.served} id="served" />
        <Stat vi="Vắng mặt" en="No-show" value={t.noShow} id="noShow" />
        <Stat vi="Đã hủy" en="Cancelled" value={t.cancelled} id="cancelled" />
        <Stat vi="Chờ TB (phút)" en="Avg wait (min)" value={fmt(t.wait.avg)} id="waitAvg" />
        <Stat vi="Gọi trong thời gian chờ mục tiêu" en="Called within target" value={pct(report.withinTarget.percent)} id="withinTarget" />
        <Stat vi="Phục vụ TB (phút)" en="Avg service (min)" value={fmt(t.service.avg)} id="serviceAvg" />
        <Stat vi={`Tỷ lệ hài lòng (${s.satisfied}/${s.total})`} en="Satisfied" value={pct(s.percentSatisfied)} id="satisfied" />
      </div>
      <ReportNotes report={report} />
      {report.byDay.length > 1 && (
        <section className="panel-card">
          <h2>
            <Bi vi={unit === 'day' ? 'Xu hướng theo ngày' : 'Xu hướng theo tháng'} en={unit === 'day' ? 'Trend per day' : 'Trend per month'} />
          </h2>
          <TrendChart points={points} />
        </section>
      )}
      <div className="chart-grid">
        <section className="panel-card">
          <h2>
            <Bi vi="Lượt đến theo giờ" en="Arrivals per hour" />
          </h2>
          <ArrivalsChart perHour={report.arrivalsByHour} />
        </section>
        <section className="panel-card" data-testid="satisfaction-card">
          <h2>
            <Bi vi="Mức độ hài lòng" en="Satisfaction" />
          </h2>
          {s.total === 0 ? (
            <p className="muted">Chưa có đánh giá. / No ratings yet.</p>
          ) : (
            <>
              <p style={{ margin: '0 0 0.5rem' }} data-testid="satisfied-share">
                <strong style={{ fontSize: '1.6rem' }}>{pct(s.percentSatisfied)}</strong>{' '}
                <Bi vi={`hài lòng: ${s.satisfied} trên ${s.total} lượt đánh giá (Rất hài lòng + Hài lòng)`} en={`satisfied: ${s.satisfied} of ${s.total} answers`} />
              </p>
              <SatisfactionChart levels={s.levels} />
              <ul className="shares" data-testid="satisfaction">
                {RATING_LEVELS.filter((l) => s.levels[l] > 0).map((l) => (
                  <li key={l} data-level={l}>
                    <span className="swatch" style={{ background: LEVEL_COLORS[l] }} />
                    <Bi vi={RATING_LEVEL_TEXT[l].vi} en={RATING_LEVEL_TEXT[l].en} />
                    <strong>
                      {s.levels[l]} · {fmt(s.levelPercent[l])} %
                    </strong>
                  </li>
                ))}
              </ul>
              {s.dissatisfied > 0 && (
                <>
                  <h3>
                    <Bi vi="Lý do chưa hài lòng" en="Reasons given" />
                  </h3>
                  <ul className="shares" data-testid="reasons">
                    {RATING_REASONS.map((r) => (
                      <li key={r} data-reason={r}>
                        <Bi vi={RATING_REASON_TEXT[r].vi} en={RATING_REASON_TEXT[r].en} />
                        <strong>{s.reasons[r]}</strong>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </>
          )}
        </section>
      </div>
      <RowTable
        title={<Bi vi="Theo lĩnh vực" en="By service" />}
        testId="report-by-service"
        services
        rows={report.byService.map((r) => ({ key: r.code, label: <Bi vi={r.name.vi} en={r.name.en} />, row: r }))}
        total={{ ...report.totals, withinTarget: report.withinTarget }}
        footer={<Balance report={report} />}
      />
      <RowTable title={<Bi vi="Theo quầy" en="By counter" />} testId="report-by-counter" rows={report.byCounter.map((r) => ({ key: String(r.number), label: `${r.number} · ${r.name}`, row: r }))} />
      <RowTable title={<Bi vi="Theo cán bộ" en="By officer" />} testId="report-by-officer" rows={report.byOfficer.map((r) => ({ key: r.username, label: r.username, row: r }))} />
    </>
  );
}

/** What the reader must know to read the figures right. */
function ReportNotes({ report }: { report: Report }) {
  const excluded = report.withinTarget.excluded;
  if (!excluded.length && !report.legacyDays.length) return null;
  return (
    <div className="notice" data-testid="report-notes">
      {excluded.length > 0 && (
        <p style={{ margin: 0 }} data-testid="within-target-excluded">
          <Bi
            vi={`Tỷ lệ gọi trong thời gian chờ mục tiêu không tính ${excluded.map((x) => x.name.vi).join(', ')}: lĩnh vực chưa đặt thời gian chờ mục tiêu.`}
            en={`The within-target share leaves out ${excluded.map((x) => x.name.en).join(', ')}: no target wait set.`}
          />
        </p>
      )}
      {report.legacyDays.length > 0 && (
        <p style={{ margin: 0 }} data-testid="legacy-days">
          <Bi
            vi={`${report.legacyDays.length} ngày được tổng hợp bởi phiên bản cũ (phiếu chi tiết đã xóa): không có số phiếu ưu tiên, chuyển lĩnh vực và lý do đánh giá của những ngày đó.`}
            en={`${report.legacyDays.length} day(s) were summed by an older version (their tickets are deleted): no priority, transfer or reason counts for them.`}
          />
        </p>
      )}
    </div>
  );
}

/** The service rows balance: issued + transferred in − transferred out = served + no-show + cancelled + open. */
function Balance({ report }: { report: Report }) {
  if (report.balance.balanced) {
    return (
      <p className="muted" data-testid="balance" data-balanced="true" style={{ margin: '0.5rem 0 0' }}>
        <Bi
          vi="✓ Mỗi lĩnh vực: số phiếu + chuyển đến − chuyển đi = phục vụ + vắng + hủy + chưa xong (phiếu được tính ở lĩnh vực cuối cùng)."
          en="✓ Each service: tickets + transferred in − transferred out = served + no-show + cancelled + open (a ticket counts where it ended)."
        />
      </p>
    );
  }
  return (
    <p data-testid="balance" data-balanced="false" style={{ margin: '0.5rem 0 0' }}>
      <Bi vi={report.balance.note?.vi ?? ''} en={report.balance.note?.en ?? ''} />
    </p>
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

type AnyRow = ReportRow & Partial<Pick<ServiceReportRow, 'transferredIn' | 'transferredOut' | 'withinTarget' | 'targetWaitMinutes'>>;

function RowTable({ title, rows, testId, total, services = false, footer }: { title: ReactNode; rows: { key: string; label: ReactNode; row: AnyRow }[]; testId: string; total?: AnyRow; services?: boolean; footer?: ReactNode }) {
  const cells = (r: AnyRow) => (
    <>
      <td className="num" data-col="issued">
        {r.issued}
      </td>
      <td className="num" data-col="priority">
        {r.priority ?? '—'}
      </td>
      {services && (
        <>
          <td className="num" data-col="transferredIn">
            {r.transferredIn === undefined ? '' : (r.transferredIn ?? '—')}
          </td>
          <td className="num" data-col="transferredOut">
            {r.transferredOut === undefined ? '' : (r.transferredOut ?? '—')}
          </td>
        </>
      )}
      <td className="num" data-col="served">
        {r.served}
      </td>
      <td className="num" data-col="noShow">
        {r.noShow}
      </td>
      <td className="num" data-col="cancelled">
        {r.cancelled}
      </td>
      <td className="num" data-col="open">
        {r.open}
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
      {services && (
        <td className="num" data-col="withinTarget" title={r.targetWaitMinutes ? `Mục tiêu ${r.targetWaitMinutes} phút / target ${r.targetWaitMinutes} min` : undefined}>
          {r.withinTarget === undefined ? '' : r.withinTarget === null ? <span className="muted">chưa đặt / none</span> : pct(r.withinTarget.percent)}
        </td>
      )}
      <td className="num" data-col="serviceAvg">
        {fmt(r.service.avg)}
      </td>
      <td className="num" data-col="serviceMedian">
        {fmt(r.service.median)}
      </td>
      <td className="num" data-col="serviceP90">
        {fmt(r.service.p90)}
      </td>
      <td className="num" data-col="answers">
        {r.satisfaction.answers}
      </td>
      <td className="num" data-col="satisfied">
        {pct(r.satisfaction.percent)}
      </td>
    </>
  );
  const columns = services ? 18 : 15;
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
                <Bi vi="Ưu tiên" en="Priority" />
              </th>
              {services && (
                <th colSpan={2} className="group">
                  <Bi vi="Chuyển lĩnh vực" en="Transfers" />
                </th>
              )}
              <th rowSpan={2} className="num">
                <Bi vi="Phục vụ" en="Served" />
              </th>
              <th rowSpan={2} className="num">
                <Bi vi="Vắng" en="No-show" />
              </th>
              <th rowSpan={2} className="num">
                <Bi vi="Hủy" en="Cancelled" />
              </th>
              <th rowSpan={2} className="num">
                <Bi vi="Chưa xong" en="Open" />
              </th>
              <th colSpan={services ? 4 : 3} className="group">
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
              {services && (
                <>
                  <th className="num">Đến / in</th>
                  <th className="num">Đi / out</th>
                </>
              )}
              <th className="num">TB / avg</th>
              <th className="num">Trung vị / median</th>
              <th className="num">P90</th>
              {services && <th className="num">Trong mục tiêu / within target</th>}
              <th className="num">TB / avg</th>
              <th className="num">Trung vị / median</th>
              <th className="num">P90</th>
              <th className="num">Lượt / answers</th>
              <th className="num">% hài lòng / satisfied</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={columns} className="muted">
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
      {footer}
    </section>
  );
}

/**
 * The rating scale the tablets and phone pages ask (Decision 766: provincial devices use 3
 * levels). Stored with the center settings; answers keep the scale they were given on, so
 * changing it never changes past figures.
 */
function RatingScaleSetting() {
  const { call } = useAdmin();
  const [scale, setScale] = useState<RatingScale | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    call(ROUTES.settings)
      .then((s) => setScale(s.ratingScale ?? 3))
      .catch((e: unknown) => setError(toApiError(e)));
  }, [call]);
  async function choose(next: RatingScale) {
    setError(null);
    setSaved(false);
    try {
      const s = await call(ROUTES.updateSettings, { body: { ratingScale: next } });
      setScale(s.ratingScale);
      setSaved(true);
    } catch (e) {
      setError(toApiError(e));
    }
  }
  return (
    <section className="panel-card" data-testid="rating-scale" data-scale={scale ?? ''}>
      <h2>
        <Bi vi="Thang đánh giá của công dân" en="Citizen rating scale" />
      </h2>
      <p className="muted" style={{ marginTop: 0 }}>
        Máy đánh giá tại quầy và trang điện thoại hỏi theo thang này. Tỷ lệ hài lòng = (Rất hài lòng + Hài lòng) / tổng số lượt đánh giá (Quyết định 766/QĐ-TTg). Đánh giá đã có giữ
        nguyên thang lúc được hỏi. <span className="en">The tablets and phone pages ask on this scale; past answers keep theirs.</span>
      </p>
      <div className="kinds" role="radiogroup" aria-label="Thang đánh giá / Rating scale">
        {([3, 4, 5] as const).map((n) => (
          <button key={n} type="button" role="radio" aria-checked={scale === n} className={scale === n ? 'active' : ''} data-scale={n} onClick={() => void choose(n)}>
            <Bi vi={`${n} mức`} en={`${n} levels`} />
          </button>
        ))}
        <Saved show={saved} />
      </div>
      {scale && (
        <p className="muted" data-testid="rating-scale-levels">
          {ratingLevels(scale)
            .map((l) => RATING_LEVEL_TEXT[l].vi)
            .join(' · ')}
        </p>
      )}
      <ErrorMessage error={error} onDismiss={() => setError(null)} />
    </section>
  );
}
