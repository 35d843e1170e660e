import { formatServerTime } from '../lib/format.js';
import type { AuditEntry } from '@luot/protocol';
import { Bi } from '../ui/bi.js';
import { ErrorMessage } from '../ui/error-message.js';
import { useLoad } from './form-bits.js';
import { useAdmin } from './session.js';

/** Who changed what, when: the newest 200 entries. */
export function AuditLog() {
  const { call } = useAdmin();
  const { data, error, reload } = useLoad(() => call<AuditEntry[]>('GET', '/admin/audit?limit=200'));
  return (
    <section className="panel-card" data-testid="audit">
      <div className="bar">
        <h2>
          <Bi vi="Nhật ký thay đổi" en="Audit log" />
        </h2>
        <button type="button" onClick={reload}>
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
              <Bi vi="Thao tác" en="Action" />
            </th>
            <th>
              <Bi vi="Đối tượng" en="Target" />
            </th>
            <th>
              <Bi vi="Chi tiết" en="Detail" />
            </th>
          </tr>
        </thead>
        <tbody>
          {(data ?? []).map((a) => (
            <tr key={a.id} data-action={a.action}>
              <td>{formatServerTime(a.at)}</td>
              <td>{a.username ?? <span className="muted">hệ thống / system</span>}</td>
              <td>
                <code>{a.action}</code>
              </td>
              <td>
                <code>{a.target ?? ''}</code>
              </td>
              <td className="detail">
                <code>{a.detail === null || a.detail === undefined ? '' : JSON.stringify(a.detail)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
