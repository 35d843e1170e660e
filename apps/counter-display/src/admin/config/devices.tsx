import { formatServerTime } from '../../lib/format.js';
import type { Device, DeviceInfo, PrinterInfo } from '@luot/protocol';
import { CreateDeviceBody, ROUTES } from '@luot/protocol';
import type { FormEvent } from 'react';
import { useRef, useState } from 'react';
import type { ApiError } from '../../lib/api.js';
import { toApiError } from '../../lib/api.js';
import { Bi } from '../../ui/bi.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { Field, useLoad } from '../form-bits.js';
import { useAdmin, validate } from '../session.js';

/** The link that pairs a device: the token rides in the fragment, which never reaches a server log. */
export function pairingLink(kind: 'kiosk' | 'display', token: string, origin = location.origin): string {
  return `${origin}/${kind}#token=${encodeURIComponent(token)}`;
}

const when = (iso: string | null) => (iso ? formatServerTime(iso) : '—');

/** Kiosks and TVs (and rating tablets, which are display devices): register, see, revoke. */
export function DevicesConfig() {
  const { call } = useAdmin();
  const { data, error: loadError, reload } = useLoad(() => call(ROUTES.adminDevices));
  const printers = useLoad(() => call(ROUTES.printers));
  const printerOf = (kioskId: number) => printers.data?.find((p) => p.kioskIds.includes(kioskId));
  const [error, setError] = useState<ApiError | null>(null);
  const [kind, setKind] = useState<'kiosk' | 'display'>('kiosk');
  const [name, setName] = useState('');
  const [created, setCreated] = useState<Device | null>(null);

  async function register(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const v = validate(CreateDeviceBody, { kind, name });
    if (!v.ok) return setError(v.error);
    try {
      setCreated(await call(ROUTES.createDevice, { body: v.data }));
      setName('');
      reload();
    } catch (err) {
      setError(toApiError(err));
    }
  }

  async function revoke(d: DeviceInfo) {
    if (!window.confirm(`Thu hồi thiết bị "${d.name}"? Thiết bị sẽ phải ghép lại.\nRevoke "${d.name}"? It will have to be paired again.`)) return;
    setError(null);
    try {
      await call(ROUTES.revokeDevice, { params: { id: d.id } });
      reload();
    } catch (err) {
      setError(toApiError(err));
    }
  }

  return (
    <section className="config" data-testid="devices-config">
      <form className="panel-card form" onSubmit={(e) => void register(e)} data-testid="device-form" noValidate>
        <h2>
          <Bi vi="Đăng ký thiết bị" en="Register a device" />
        </h2>
        <div className="form-grid">
          <Field vi="Loại" en="Kind">
            <select name="kind" value={kind} onChange={(e) => setKind(e.target.value === 'display' ? 'display' : 'kiosk')}>
              <option value="kiosk">Kiosk lấy số / Ticket kiosk</option>
              <option value="display">Màn hình (TV, máy đánh giá) / Display (TV, rating tablet)</option>
            </select>
          </Field>
          <Field vi="Tên thiết bị" en="Device name">
            <input name="deviceName" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} placeholder="Kiosk sảnh chính" />
          </Field>
        </div>
        <ErrorMessage error={error ?? loadError ?? printers.error} onDismiss={() => setError(null)} />
        <div className="form-actions">
          <button type="submit" className="primary" data-testid="device-register">
            <Bi vi="Đăng ký" en="Register" />
          </button>
        </div>
        {created && <CreatedDevice device={created} onClose={() => setCreated(null)} />}
      </form>
      <div className="panel-card">
        <h2>
          <Bi vi="Thiết bị đã đăng ký" en="Registered devices" />
        </h2>
        <table className="grid">
          <thead>
            <tr>
              <th>
                <Bi vi="Tên" en="Name" />
              </th>
              <th>
                <Bi vi="Loại" en="Kind" />
              </th>
              <th>
                <Bi vi="Đăng ký lúc" en="Registered" />
              </th>
              <th>
                <Bi vi="Hoạt động gần nhất" en="Last seen" />
              </th>
              <th>
                <Bi vi="Máy in" en="Printer" />
              </th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(data ?? []).map((d) => (
              <tr key={d.id} className={d.revoked ? 'inactive' : ''} data-testid={`device-row-${d.id}`}>
                <td>{d.name}</td>
                <td>{d.kind === 'kiosk' ? 'Kiosk' : 'Màn hình / Display'}</td>
                <td>{when(d.createdAt)}</td>
                <td>{when(d.lastSeenAt)}</td>
                <td data-testid={`device-printer-${d.id}`}>{d.kind === 'kiosk' ? <KioskPrinter printer={printerOf(d.id)} /> : null}</td>
                <td>
                  {d.revoked ? (
                    <span className="muted">Đã thu hồi / Revoked</span>
                  ) : (
                    <button type="button" className="small danger" onClick={() => void revoke(d)} data-testid={`device-revoke-${d.id}`}>
                      <Bi vi="Thu hồi" en="Revoke" />
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Where a browser kiosk's tickets print: its printer from the list, or the server's default. */
function KioskPrinter({ printer }: { printer: PrinterInfo | undefined }) {
  if (!printer) {
    return (
      <a href="#printers" className="muted">
        Mặc định của máy chủ (80 mm) <span className="en">Server default (80 mm)</span>
      </a>
    );
  }
  return (
    <a href="#printers">
      {printer.name} · {printer.widthMm} mm
    </a>
  );
}

/** The token is shown once: the server keeps only its hash. */
function CreatedDevice({ device, onClose }: { device: Device; onClose: () => void }) {
  const link = pairingLink(device.kind, device.token);
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);

  async function copy() {
    // navigator.clipboard needs a secure context, which a LAN http:// page is not: fall back to
    // selecting the text and the old copy command.
    try {
      await navigator.clipboard.writeText(link);
    } catch {
      input.current?.select();
      document.execCommand('copy');
    }
    setCopied(true);
  }

  return (
    <div className="notice created-device" data-testid="device-created" role="status">
      <p>
        <strong>Đã đăng ký “{device.name}”.</strong> Mở liên kết này trên thiết bị để ghép. Mã chỉ hiện một lần.
        <br />
        <span className="en">Registered “{device.name}”. Open this link on the device to pair it. The token is shown only once.</span>
      </p>
      <div className="row">
        <input ref={input} readOnly value={link} data-testid="pairing-link" onFocus={(e) => e.target.select()} className="mono" />
        <button type="button" onClick={() => void copy()}>
          {copied ? <Bi vi="Đã chép" en="Copied" /> : <Bi vi="Chép" en="Copy" />}
        </button>
      </div>
      {device.kind === 'display' && (
        <p className="muted">
          Máy đánh giá ở quầy: thêm <code>/rating?counter=N</code> thay cho <code>/display</code>. <span className="en">For a counter&apos;s rating tablet, use /rating?counter=N instead of /display.</span>
        </p>
      )}
      <button type="button" className="small" onClick={onClose}>
        <Bi vi="Đóng" en="Close" />
      </button>
    </div>
  );
}
