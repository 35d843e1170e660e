import type { DeviceInfo, PrinterInfo, ServerPrintOutcome } from '@luot/protocol';
import { DEFAULT_PRINTER_CODE_PAGE, PrinterBody, parsePrinterAddress, ROUTES } from '@luot/protocol';
import { useEffect, useRef, useState } from 'react';
import { ApiError, toApiError } from '../../lib/api.js';
import { Bi } from '../../ui/bi.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { Field, useLoad } from '../form-bits.js';
import { useAdmin, validate } from '../session.js';
import { FormFooter, useSettingsForm } from '../settings-form.js';

/**
 * The center's network ticket printers (docs/printing.md, "Printer list"): where each is, its
 * paper width and mode, which kiosks print on it, and a test page. Kiosks that are a plain
 * browser print through the server on the printer assigned here; a kiosk with none uses the
 * server's LUOT_KIOSK_PRINTER (80 mm, raster).
 */
export function PrintersConfig() {
  const { call } = useAdmin();
  const printers = useLoad(() => call(ROUTES.printers));
  const devices = useLoad(() => call(ROUTES.adminDevices));
  const [editing, setEditing] = useState<PrinterInfo | 'new' | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const kiosks = (devices.data ?? []).filter((d) => d.kind === 'kiosk');
  const kioskName = (id: number) => kiosks.find((k) => k.id === id)?.name ?? `#${id}`;

  async function remove(p: PrinterInfo) {
    if (!window.confirm(`Xóa máy in "${p.name}"? Các máy lấy số của nó sẽ dùng máy in mặc định của máy chủ.\nDelete printer "${p.name}"? Its kiosks will use the server's default printer.`)) return;
    setError(null);
    try {
      await call(ROUTES.deletePrinter, { params: { id: p.id } });
      if (editing !== 'new' && editing?.id === p.id) setEditing(null);
      printers.reload();
    } catch (err) {
      setError(toApiError(err));
    }
  }

  return (
    <section className="config" data-testid="printers-config">
      <div className="panel-card">
        <div className="bar">
          <h2>
            <Bi vi="Máy in vé" en="Ticket printers" />
          </h2>
          <button type="button" className="primary" onClick={() => setEditing('new')} data-testid="printer-new">
            <Bi vi="Thêm máy in" en="Add a printer" />
          </button>
        </div>
        <p className="muted">
          Máy lấy số chạy trên trình duyệt in qua máy chủ, trên máy in được gán ở đây. Máy chưa được gán dùng máy in mặc định của máy chủ (LUOT_KIOSK_PRINTER, khổ 80 mm, in ảnh).{' '}
          <span className="en">Browser kiosks print through the server on the printer assigned here. A kiosk with none uses the server’s default printer (LUOT_KIOSK_PRINTER, 80 mm, raster).</span>
        </p>
        <ErrorMessage error={error ?? printers.error ?? devices.error} onDismiss={() => setError(null)} />
        <div className="table-scroll">
          <table className="grid" data-testid="printer-list">
            <thead>
              <tr>
                <th>
                  <Bi vi="Tên" en="Name" />
                </th>
                <th>
                  <Bi vi="Địa chỉ" en="Address" />
                </th>
                <th>
                  <Bi vi="Khổ giấy" en="Paper" />
                </th>
                <th>
                  <Bi vi="Chế độ" en="Mode" />
                </th>
                <th>
                  <Bi vi="Máy lấy số" en="Kiosks" />
                </th>
                <th />
              </tr>
            </thead>
            <tbody>
              {(printers.data ?? []).map((p) => (
                <PrinterRow key={p.id} printer={p} kiosks={p.kioskIds.map(kioskName)} onEdit={() => setEditing(p)} onDelete={() => void remove(p)} />
              ))}
              {printers.data?.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted">
                    Chưa có máy in nào / No printers yet
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </div>
      {editing && devices.data && printers.data && (
        <PrinterForm
          key={editing === 'new' ? 'new' : editing.id}
          printer={editing === 'new' ? null : editing}
          kiosks={kiosks}
          printers={printers.data}
          onDone={() => {
            setEditing(null);
            printers.reload();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
    </section>
  );
}

const modeText = (p: Pick<PrinterInfo, 'mode' | 'codePage'>) => (p.mode === 'text' ? <Bi vi={`Chữ (WPC1258, mã ${p.codePage})`} en={`Text (WPC1258, page ${p.codePage})`} /> : <Bi vi="Ảnh (raster)" en="Raster image" />);

type TestState = { kind: 'idle' } | { kind: 'printing' } | { kind: 'done'; outcome: ServerPrintOutcome } | { kind: 'error'; error: ApiError };

function PrinterRow({ printer: p, kiosks, onEdit, onDelete }: { printer: PrinterInfo; kiosks: string[]; onEdit: () => void; onDelete: () => void }) {
  const { call } = useAdmin();
  const [test, setTest] = useState<TestState>({ kind: 'idle' });

  async function testPrint() {
    setTest({ kind: 'printing' });
    try {
      setTest({ kind: 'done', outcome: await call(ROUTES.testPrinter, { params: { id: p.id } }) });
    } catch (err) {
      setTest({ kind: 'error', error: toApiError(err) });
    }
  }

  return (
    <tr data-testid={`printer-row-${p.id}`} data-name={p.name}>
      <td>
        <strong>{p.name}</strong>
      </td>
      <td className="mono">{p.address}</td>
      <td>{p.widthMm} mm</td>
      <td>{modeText(p)}</td>
      <td data-testid={`printer-kiosks-${p.id}`}>{kiosks.length ? kiosks.join(', ') : <span className="muted">—</span>}</td>
      <td>
        <div className="actions-cell">
          <button type="button" className="small" onClick={() => void testPrint()} disabled={test.kind === 'printing'} data-testid={`printer-test-${p.id}`}>
            <Bi vi="In thử" en="Test print" />
          </button>
          <button type="button" className="small" onClick={onEdit} data-testid={`printer-edit-${p.id}`}>
            <Bi vi="Sửa" en="Edit" />
          </button>
          <button type="button" className="small danger" onClick={onDelete} data-testid={`printer-delete-${p.id}`}>
            <Bi vi="Xóa" en="Delete" />
          </button>
        </div>
        <TestResult state={test} printerId={p.id} />
      </td>
    </tr>
  );
}

/** What the test page did, in the words the printer's own error gives (paper, cover, no answer...). */
function TestResult({ state, printerId }: { state: TestState; printerId: number }) {
  if (state.kind === 'idle') return null;
  if (state.kind === 'error') return <ErrorMessage error={state.error} />;
  const testId = `printer-test-result-${printerId}`;
  if (state.kind === 'printing') {
    return (
      <p role="status" data-testid={testId} data-state="printing">
        <Bi vi="Đang in trang thử…" en="Printing a test page…" />
      </p>
    );
  }
  const o = state.outcome;
  if (o.printed) {
    return (
      <p role="status" className="saved" data-testid={testId} data-state="printed">
        <Bi vi="Đã in trang thử: máy in xác nhận in xong." en="Test page printed: the printer confirmed it." />
      </p>
    );
  }
  return (
    <div className="error" role="alert" data-testid={testId} data-state="failed" data-code={o.printerError ?? o.code}>
      <div>
        <strong lang="vi">Chưa in được. {o.messageVi}</strong>
        <span className="en" lang="en">
          Not printed. {o.message} <code>{o.printerError ?? o.code}</code>
        </span>
      </div>
    </div>
  );
}

function PrinterForm({ printer, kiosks, printers, onDone, onCancel }: { printer: PrinterInfo | null; kiosks: DeviceInfo[]; printers: PrinterInfo[]; onDone: () => void; onCancel: () => void }) {
  const { call } = useAdmin();
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    formRef.current?.scrollIntoView({ block: 'start' });
  }, []);
  /** The printer a kiosk is assigned to now, if another one: choosing it here moves it. */
  const elsewhere = (kioskId: number) => printers.find((p) => p.id !== printer?.id && p.kioskIds.includes(kioskId));
  // A revoked kiosk never prints again: it is not offered, and saving drops it from the printer.
  const choosable = kiosks.filter((k) => !k.revoked);
  const f = useSettingsForm({
    initial: {
      name: printer?.name ?? '',
      address: printer?.address ?? '',
      widthMm: printer?.widthMm ?? (80 as 58 | 80),
      mode: printer?.mode ?? ('raster' as 'raster' | 'text'),
      codePage: String(printer?.codePage ?? DEFAULT_PRINTER_CODE_PAGE),
      kioskIds: printer?.kioskIds ?? [],
    },
    check: ({ name, address, widthMm, mode, codePage, kioskIds }) => {
      const addr = parsePrinterAddress(address);
      if (!addr.ok) return { ok: false, error: new ApiError(400, { code: 'INVALID_INPUT', messageVi: addr.vi, message: addr.en }) };
      const chosen = kioskIds.filter((id) => choosable.some((k) => k.id === id));
      return validate(PrinterBody, { name: name.trim(), address: addr.address, widthMm, mode, codePage: Number(codePage), kioskIds: chosen });
    },
    send: (body) => (printer ? call(ROUTES.updatePrinter, { params: { id: printer.id }, body }) : call(ROUTES.createPrinter, { body })),
    onSaved: onDone,
  });
  const { name, address, widthMm, mode, codePage, kioskIds } = f.form;

  return (
    <form ref={formRef} className="panel-card form" onSubmit={f.submit} data-testid="printer-form" noValidate>
      <h2>{printer ? <Bi vi={`Sửa máy in “${printer.name}”`} en={`Edit printer “${printer.name}”`} /> : <Bi vi="Thêm máy in" en="New printer" />}</h2>
      <div className="form-grid">
        <Field vi="Tên máy in" en="Printer name">
          <input name="printerName" value={name} onChange={f.field('name')} maxLength={60} placeholder="Máy in sảnh chính" required />
        </Field>
        <Field
          vi="Địa chỉ"
          en="Address"
          hint={
            <Bi
              vi="Địa chỉ IP trong mạng của trung tâm (in trên trang tự kiểm tra của máy in), cổng thường là 9100."
              en="An IP address on the center’s network (printed on the printer’s self-test page); the port is usually 9100."
            />
          }
        >
          <input name="address" value={address} onChange={f.field('address')} maxLength={100} placeholder="tcp://192.168.1.50:9100" className="mono" required />
        </Field>
        <Field vi="Khổ giấy" en="Paper width">
          <select name="widthMm" value={widthMm} onChange={(e) => f.edit({ widthMm: e.target.value === '58' ? 58 : 80 })}>
            <option value="80">80 mm (576 điểm / dots)</option>
            <option value="58">58 mm (384 điểm / dots)</option>
          </select>
        </Field>
        <Field
          vi="Chế độ in"
          en="Print mode"
          hint={<Bi vi="In ảnh đúng trên mọi máy. In chữ cần máy có bảng mã tiếng Việt WPC1258." en="Raster prints right on any printer. Text needs the printer’s Vietnamese WPC1258 code page." />}
        >
          <select name="mode" value={mode} onChange={(e) => f.edit({ mode: e.target.value === 'text' ? 'text' : 'raster' })}>
            <option value="raster">Ảnh (raster) / Raster image</option>
            <option value="text">Chữ (WPC1258) / Text (WPC1258)</option>
          </select>
        </Field>
        {mode === 'text' && (
          <Field vi="Số bảng mã WPC1258 (ESC t)" en="WPC1258 code page number (ESC t)" hint={<Bi vi="Epson: 52. Máy khác: xem trang tự kiểm tra." en="Epson: 52. Others: see the self-test page." />}>
            <input name="codePage" type="number" min={0} max={255} value={codePage} onChange={f.field('codePage')} />
          </Field>
        )}
      </div>
      <fieldset className="kiosk-choice" data-testid="printer-kiosks">
        <legend>
          <Bi vi="In cho các máy lấy số" en="Prints for these kiosks" />
        </legend>
        {choosable.length === 0 && <p className="muted">Chưa có máy lấy số nào / No kiosks registered yet</p>}
        {choosable.map((k) => {
          const other = elsewhere(k.id);
          return (
            <label key={k.id} className="check" data-kiosk-id={k.id}>
              <input
                type="checkbox"
                name={`kiosk-${k.id}`}
                checked={kioskIds.includes(k.id)}
                onChange={(e) => f.edit({ kioskIds: e.target.checked ? [...kioskIds, k.id] : kioskIds.filter((id) => id !== k.id) })}
              />
              <span>
                {k.name}
                {other && (
                  <small className="muted">
                    {' '}
                    — đang dùng “{other.name}”, chọn ở đây sẽ chuyển sang máy này / now on “{other.name}”, choosing it here moves it
                  </small>
                )}
              </span>
            </label>
          );
        })}
      </fieldset>
      <FormFooter state={f} onCancel={onCancel} testId="printer-save" />
    </form>
  );
}
