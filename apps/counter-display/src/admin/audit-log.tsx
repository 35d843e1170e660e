import { ROUTES } from '@luot/protocol';
import { useEffect, useRef, useState } from 'react';
import { formatServerTime } from '../lib/format.js';
import { Bi } from '../ui/bi.js';
import { ErrorMessage } from '../ui/error-message.js';
import { useLoad } from './form-bits.js';
import { useAdmin } from './session.js';

type Kind = 'changes' | 'sign-ins';
const KINDS: { id: Kind; vi: string; en: string }[] = [
  { id: 'changes', vi: 'Thay đổi cấu hình', en: 'Configuration changes' },
  { id: 'sign-ins', vi: 'Đăng nhập', en: 'Sign-ins' },
];

/**
 * Who changed what, when: the newest 200 entries, as sentences ("Sửa lĩnh vực «Đất đai»") with
 * their values labelled, written by the server (reports/audit-text.ts). Configuration changes and
 * sign-ins are read apart, so a burst of failed sign-ins never hides the last changes.
 */
export function AuditLog() {
  const { call } = useAdmin();
  const [kind, setKind] = useState<Kind>('changes');
  const { data, error, reload } = useLoad(() => call(ROUTES.audit, { query: { limit: 200, kind } }));
  // useLoad reads once on its own; again whenever the filter changes.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else reload();
  }, [kind, reload]);
  return (
    <section className="panel-card" data-testid="audit" data-kind={kind}>
      <div className="bar" style={{ display: 'flex', gap: '1rem', alignItems: 'center', flexWrap: 'wrap', marginBottom: '0.75rem' }}>
        <h2>
          <Bi vi="Nhật ký" en="Audit log" />
        </h2>
        <div className="kinds" role="radiogroup" aria-label="Loại / Kind">
          {KINDS.map((k) => (
            <button key={k.id} type="button" role="radio" aria-checked={kind === k.id} className={kind === k.id ? 'active' : ''} data-kind={k.id} onClick={() => setKind(k.id)}>
              <Bi vi={k.vi} en={k.en} />
            </button>
          ))}
        </div>
        <button type="button" onClick={reload} style={{ marginLeft: 'auto' }}>
          <Bi vi="Tải lại" en="Refresh" />
        </button>
      </div>
      <ErrorMessage error={error} />
      <table className="grid audit">
        <thead>
          <tr>
            <th>
              <Bi vi="Thời điểm" en="When" />
            </th>
            <th>
              <Bi vi="Người thực hiện" en="Who" />
            </th>
            <th>
              <Bi vi="Nội dung" en="What" />
            </th>
            <th>
              <Bi vi="Chi tiết" en="Details" />
            </th>
          </tr>
        </thead>
        <tbody>
          {data?.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                Chưa có gì. / Nothing yet.
              </td>
            </tr>
          )}
          {(data ?? []).map((a) => (
            <tr key={a.id} data-action={a.action}>
              <td style={{ whiteSpace: 'nowrap' }}>{formatServerTime(a.at)}</td>
              <td>{a.username ?? <span className="muted">hệ thống / system</span>}</td>
              <td data-testid="audit-summary" title={a.action}>
                <Bi vi={a.summary.vi} en={a.summary.en} />
              </td>
              <td className="detail">
                {a.details.length > 0 && (
                  <dl style={{ margin: 0, display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '0.15rem 0.75rem' }}>
                    {a.details.map((d, i) => (
                      <div key={i} style={{ display: 'contents' }} data-testid="audit-detail">
                        <dt className="muted">{d.label.vi}</dt>
                        <dd style={{ margin: 0 }}>{d.value.vi}</dd>
                      </div>
                    ))}
                  </dl>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
